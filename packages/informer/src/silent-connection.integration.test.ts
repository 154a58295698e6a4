/*
 * Reliability suite 2 (#14): a connection that goes silent — packets dropped both ways, no FIN,
 * no RST — must not hang a watch or a call forever. client-go bounds it with the HTTP/2 health
 * check (ping after 30 s without a frame, give up 15 s later); kgo also turns TCP keep-alive on
 * every connection (probes after 30 s idle, every second, 10 of them: ~40 s), which covers
 * HTTP/1.1, where there is no ping. Real silence: the fault proxy's port is silenced in the
 * kernel (`FaultProxy.silence()`, tc on lo), so not even keep-alive probes are answered.
 *
 * One wait for the bound, several clients at once: an HTTP/1.1 watch, an HTTP/1.1 GET in flight
 * (the proxy holds its answer), an HTTP/2 watch, and an informer over HTTP/1.1, which must
 * reconnect once the network is back.
 */
import { FaultProxy } from '@kgo/envtest';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { RequestError, type RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listerWatcherFor } from './cache/rest-lister-watcher.ts';
import { SharedIndexInformer } from './cache/shared-informer.ts';
import { type ConfigMap, configMap, coreClient, createConfigMap, createNamespace, deleteNamespace, eventually } from './test/fixtures.ts';

const cluster = testCluster();
const admin = coreClient(restConfigFor(cluster));
const namespace = uniqueNamespace('kgo-silent');
/** client-go's bound: 30 s without a frame, then 15 s for the ping's answer. */
const CLIENT_GO_BOUND_MS = 45_000;
let proxy: FaultProxy;

beforeAll(async () => {
  // The held GET's answer waits far longer than the test: only the silence can end it.
  proxy = await FaultProxy.start(cluster, { stallMs: 600_000 });
  await createNamespace(admin, namespace);
  await createConfigMap(admin, namespace, configMap('before'));
});

afterAll(async () => {
  await proxy?.close();
  await deleteNamespace(admin, namespace);
  await admin.close();
});

interface Ended {
  client: string;
  ms: number | undefined;
  error: unknown;
}

/** Iterates a watch until it ends; resolves with when and how (never rejects). */
async function watchUntilEnd(client: RestClient, name: string, since: () => number): Promise<Ended> {
  const watch = await client.get().namespace(namespace).resource('configmaps').watch<ConfigMap>();
  try {
    for await (const _ of watch) {
      // The namespace is quiet while the test waits: events would only be the initial state.
    }
    return { client: name, ms: performance.now() - since(), error: undefined };
  } catch (error) {
    return { client: name, ms: performance.now() - since(), error };
  }
}

describe('suite 2: a connection that goes silent', () => {
  it('ends HTTP/1.1 and HTTP/2 watches and an HTTP/1.1 GET in flight with a typed error within client-go\'s 45 s; an informer reconnects', { timeout: 180_000 }, async () => {
    const http1 = coreClient({ ...proxy.restConfig(), http2: false });
    const http2 = coreClient(proxy.restConfig());
    let silencedAt = Number.NaN;
    const since = () => silencedAt;

    const watches = [watchUntilEnd(http1, 'HTTP/1.1 watch', since), watchUntilEnd(http2, 'HTTP/2 watch', since)];
    // A GET the proxy forwards and then holds: in flight, its request delivered and acknowledged.
    proxy.injectNext('stall');
    const getStarted = proxy.requests.length;
    const get = http1
      .get()
      .namespace(namespace)
      .resource('configmaps')
      .name('before')
      .maxRetries(0)
      .do()
      .then(
        () => ({ client: 'HTTP/1.1 GET', ms: performance.now() - since(), error: undefined }),
        (error: unknown) => ({ client: 'HTTP/1.1 GET', ms: performance.now() - since(), error }),
      );

    const informerErrors: { at: number; error: unknown }[] = [];
    const informerClient = coreClient({ ...proxy.restConfig(), http2: false });
    const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(informerClient, 'configmaps', { namespace }), {
      name: 'configmaps over HTTP/1.1',
      onError: (error) => informerErrors.push({ at: performance.now(), error }),
    });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    try {
      expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
      await eventually(() => informer.isWatching(), 10_000, () => 'the informer never started watching');
      await eventually(() => proxy.requests.slice(getStarted).some((r) => r.fault === 'stall' && r.upstreamStatus === 200), 10_000, () => 'the GET never reached the server');
      await eventually(() => proxy.openWatches >= 3, 10_000, () => `${proxy.openWatches} watches open at the proxy, want 3`);
      // Let the last bytes (the watches' headers, the informer's initial events) be acknowledged.
      await new Promise((resolve) => setTimeout(resolve, 500));

      await proxy.silence();
      silencedAt = performance.now();
      const ended: Ended[] = await Promise.all([...watches, get]);
      await eventually(() => informerErrors.some((e) => e.at > silencedAt), 60_000, () => 'the informer never noticed the silence');
      const informerFirst = informerErrors.find((e) => e.at > silencedAt)!;
      ended.push({ client: 'informer (HTTP/1.1)', ms: informerFirst.at - silencedAt, error: informerFirst.error });
      console.info(
        `suite 2: silence noticed after ${ended.map((e) => `${e.client} ${((e.ms ?? 0) / 1000).toFixed(1)} s (${(e.error as RequestError | undefined)?.code})`).join(', ')}`,
      );

      for (const { client, ms, error } of ended) {
        expect(RequestError.isInstance(error), `${client}: ${String(error)}`).toBe(true);
        const requestError = error as RequestError;
        // Names the URL it was for, and says what happened.
        expect(requestError.message, client).toContain(proxy.url);
        expect(requestError.message, client).toMatch(/went silent|HTTP\/2 connection lost/);
        expect(['ETIMEDOUT', 'http2-connection-lost'], client).toContain(requestError.code);
        // Not before keep-alive could have given up (30 s idle), and within client-go's bound.
        expect(ms, client).toBeGreaterThan(30_000);
        expect(ms, client).toBeLessThanOrEqual(CLIENT_GO_BOUND_MS + 2_000);
      }

      // The network comes back: the informer watches again and sees a change made after.
      await proxy.unsilence();
      const backAt = performance.now();
      await createConfigMap(admin, namespace, configMap('after-silence'));
      await eventually(() => informer.lister().byNamespace(namespace).get('after-silence') !== undefined, 60_000, () => 'the informer never saw the change made after the silence');
      expect(informer.isWatching()).toBe(true);
      // It resumed its watch: no relist was needed (the server still had the resourceVersion).
      expect(informer.reflectorStats().lists).toBe(0);
      console.info(
        `suite 2: informer saw a change ${((performance.now() - backAt) / 1000).toFixed(1)} s after the network came back; reflector ${JSON.stringify(informer.reflectorStats())}`,
      );
    } finally {
      stop.abort();
      await running;
      await proxy.unsilence();
      await Promise.all([http1.close(), http2.close(), informerClient.close()]);
    }
  });
});

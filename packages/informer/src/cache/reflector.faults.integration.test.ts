/*
 * The reflector under the faults a 3 a.m. informer meets, against the real API server through
 * the fault proxy (@kgo/envtest): a watch that goes silent, 410 on resume with deletes missed meanwhile, a
 * server that refuses connections for a while, an expired continue token, a server without
 * watch-list.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import type { ListOptions } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReflectorError } from '../errors/reflector-error.ts';
import { FaultProxy, type FaultRecord } from '@kgo/envtest';
import { type ConfigMap, ConsistencyChecker, configMap, coreClient, createConfigMap, createNamespace, deleteNamespace, eventually, listConfigMaps, versionsOf } from '../test/fixtures.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import { listerWatcherFor } from './rest-lister-watcher.ts';
import { SharedIndexInformer, type SharedInformerOptions } from './shared-informer.ts';

const cluster = testCluster();
const admin = coreClient(restConfigFor(cluster));
const namespace = uniqueNamespace('kgo-reflector');
let proxy: FaultProxy;
const viaProxy = () => coreClient(proxy.restConfig());
/** Outage of the reconnect-backoff test (the full size: 30000). */
const OUTAGE_MS = Number(process.env.KGO_INFORMER_OUTAGE_MS ?? 12_000);

/**
 * How long recovery after an outage of `outageMs` may take: the next attempt waits at most twice
 * the largest base delay (800 ms doubling, capped at 30 s) the backoff can reach within the
 * outage, when every earlier wait drew its minimum. 40 s at the least (the 12 s CI outage reaches
 * 12.8 s: up to 25.6 s); the 30 s outage can reach 25.6 s: up to 51.2 s.
 */
function recoveryBoundMs(outageMs: number): number {
  let base = 800;
  let elapsed = 0;
  while (elapsed + base <= outageMs && base < 30_000) {
    elapsed += base;
    base = Math.min(base * 2, 30_000);
  }
  return Math.max(40_000, 2 * base + 5_000);
}

beforeAll(async () => {
  proxy = await FaultProxy.start(cluster);
  await createNamespace(admin, namespace);
  for (let i = 0; i < 12; i++) await createConfigMap(admin, namespace, configMap(`cm-${i}`, { app: 'base' }));
});

afterAll(async () => {
  await deleteNamespace(admin, namespace);
  await admin.close();
  await proxy.close();
});

const expiredStatus = (message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 });
const mine = (request: FaultRecord) => request.path.includes(`/namespaces/${namespace}/`);

/** Counts the ListerWatcher's calls, and when each was made. */
function counting<T extends ConfigMap>(lw: ListerWatcher<T>) {
  const calls: { kind: 'list' | 'watch'; at: number; options: ListOptions }[] = [];
  return {
    calls,
    lw: {
      list: (options: ListOptions) => (calls.push({ kind: 'list', at: performance.now(), options }), lw.list(options)),
      watch: (options: ListOptions) => (calls.push({ kind: 'watch', at: performance.now(), options }), lw.watch(options)),
    } satisfies ListerWatcher<T>,
  };
}

async function startInformer(options: SharedInformerOptions<ConfigMap> = {}) {
  const client = viaProxy();
  const errors: unknown[] = [];
  const { lw, calls } = counting(listerWatcherFor<ConfigMap>(client, 'configmaps', { namespace }));
  const informer = new SharedIndexInformer(lw, { name: 'configmaps via proxy', onError: (error) => errors.push(error), ...options });
  const checker = new ConsistencyChecker<ConfigMap>();
  informer.addEventHandler(checker);
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
  await eventually(() => informer.isWatching(), 10_000, () => 'never watching');
  return {
    informer,
    checker,
    errors,
    calls,
    async matchesServer(timeoutMs = 15_000) {
      let server = new Map<string, string>();
      await eventually(
        async () => {
          server = versionsOf(await listConfigMaps(admin, namespace));
          return JSON.stringify([...versionsOf(informer.getStore().list())].sort()) === JSON.stringify([...server].sort());
        },
        timeoutMs,
        () => `cache ${JSON.stringify([...versionsOf(informer.getStore().list())].sort())}\nserver ${JSON.stringify([...server].sort())}`,
        100,
      );
      await informer.waitForHandlers();
      expect(checker.violations).toEqual([]);
      expect(checker.versions()).toEqual(server);
    },
    async stop() {
      stop.abort();
      await running;
      await client.close();
    },
  };
}

describe('Reflector faults (through the fault proxy (@kgo/envtest))', () => {
  it('starts watches from the last resourceVersion with bookmarks and a server timeout drawn from [5, 10) minutes', async () => {
    const since = performance.now();
    // Every watch is cut after its first event.
    proxy.cutWatchesAfter([1, 1]);
    const run = await startInformer({ useWatchList: false });
    for (let i = 0; i < 3; i++) {
      const cm = run.informer.lister().byNamespace(namespace).get('cm-0')!;
      await admin.put().namespace(namespace).resource('configmaps').name('cm-0').body({ ...cm, data: { round: String(i) } }).do();
      await eventually(() => run.informer.lister().byNamespace(namespace).get('cm-0')?.data?.round === String(i), 10_000, () => 'update missing');
    }
    proxy.cutWatchesAfter(undefined);
    await run.matchesServer();
    const watches = proxy.requests.filter((r) => mine(r) && r.kind === 'watch' && r.at >= since);
    expect(watches.length).toBeGreaterThanOrEqual(3);
    for (const watch of watches) {
      expect(watch.query.get('allowWatchBookmarks')).toBe('true');
      const timeout = Number(watch.query.get('timeoutSeconds'));
      expect(timeout).toBeGreaterThanOrEqual(300);
      expect(timeout).toBeLessThan(600);
      expect(Number(watch.query.get('resourceVersion'))).toBeGreaterThan(0);
    }
    // Each cut watch resumed from the resourceVersion reached, never relisting.
    expect(run.informer.reflectorStats()).toMatchObject({ lists: 1, syncs: 1 });
    await run.stop();
  });

  it('replaces a watch that goes silent, and gets the change it would have missed', async () => {
    const run = await startInformer({ idleTimeoutMs: 2000 });
    const since = performance.now();
    expect(proxy.holdWatches()).toBeGreaterThanOrEqual(1);
    await createConfigMap(admin, namespace, configMap('during-silence', { app: 'silent' }));
    await eventually(() => run.informer.lister().byNamespace(namespace).get('during-silence') !== undefined, 10_000, () => 'the change never arrived');
    const replacedAfter = performance.now() - since;
    expect(replacedAfter).toBeGreaterThanOrEqual(1900);
    expect(run.errors.some((error) => ReflectorError.isInstance(error) && error.reason === 'idle')).toBe(true);
    expect(run.informer.reflectorStats()).toMatchObject({ idleWatches: 1, watchLists: 1, lists: 0, syncs: 1 });
    expect(proxy.requests.filter((r) => mine(r) && r.kind === 'watch' && r.at >= since)).toHaveLength(1);
    await run.matchesServer();
    await admin.delete().namespace(namespace).resource('configmaps').name('during-silence').do();
    await run.matchesServer();
    await run.stop();
  });

  describe.each([
    ['an ERROR event', { watchEvents: [{ type: 'ERROR', object: expiredStatus('too old resource version: 1 (2)') }] }],
    ['a 410 response', { status: 410, body: expiredStatus('too old resource version: 1 (2)') }],
  ])('410 on resume, as %s', (_, respond) => {
    it.each([
      ['LIST', false],
      ['watch-list', true],
    ])('relists by %s; deletes made during the outage arrive as tombstones with the last known state', async (__, useWatchList) => {
      const tag = `${useWatchList ? 'wl' : 'l'}-${'status' in respond ? 'code' : 'event'}`;
      await createConfigMap(admin, namespace, configMap(`doomed-a-${tag}`, { app: 'doomed' }, { last: 'a' }));
      await createConfigMap(admin, namespace, configMap(`doomed-b-${tag}`, { app: 'doomed' }, { last: 'b' }));
      const run = await startInformer({ useWatchList });
      const before = run.informer.reflectorStats();
      proxy.refuse(true);
      await admin.delete().namespace(namespace).resource('configmaps').name(`doomed-a-${tag}`).do();
      await admin.delete().namespace(namespace).resource('configmaps').name(`doomed-b-${tag}`).do();
      await createConfigMap(admin, namespace, configMap(`born-${tag}`));
      proxy.inject({ match: (r) => mine(r) && r.kind === 'watch', respond });
      proxy.refuse(false);
      await run.matchesServer(20_000);
      expect(run.checker.tombstones.map((t) => t.key).sort()).toEqual([`${namespace}/doomed-a-${tag}`, `${namespace}/doomed-b-${tag}`]);
      expect(run.checker.tombstones.map((t) => t.obj.data?.last).sort()).toEqual(['a', 'b']);
      expect(run.checker.state.has(`${namespace}/born-${tag}`)).toBe(true);
      const after = run.informer.reflectorStats();
      // Exactly one relist, the way this informer syncs.
      expect(after.syncs - before.syncs).toBe(1);
      if (useWatchList) expect(after.watchLists - before.watchLists).toBe(1);
      else expect(after.lists - before.lists).toBe(1);
      expect(run.errors.some((error) => (error as { status?: { reason?: string } }).status?.reason === 'Expired')).toBe(true);
      await run.stop();
      await admin.delete().namespace(namespace).resource('configmaps').name(`born-${tag}`).do();
    });
  });

  it(`backs off while the server refuses connections for ${OUTAGE_MS / 1000} s: at most 0.5 attempts/s, never two within 800 ms; then recovers`, async () => {
    const run = await startInformer();
    const refusedBefore = proxy.refusedConnections;
    const outageStart = performance.now();
    proxy.refuse(true);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const during = run.calls.filter((call) => call.at >= outageStart);
    const refused = proxy.refusedConnections - refusedBefore;
    proxy.refuse(false);
    const outageEnd = performance.now();
    await createConfigMap(admin, namespace, configMap('after-outage'));
    // The next attempt comes at the end of the current backoff (at most 2 × the base delay reached).
    await run.matchesServer(recoveryBoundMs(OUTAGE_MS));
    const recoveredAfter = performance.now() - outageEnd;

    const gaps = during.slice(1).map((call, i) => call.at - during[i]!.at);
    console.log(
      `[backoff] ${OUTAGE_MS} ms outage: ${during.length} attempts (${during.map((c) => c.kind).join(',')}), ${refused} refused connections, gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms; recovered ${recoveredAfter.toFixed(0)} ms after`,
    );
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.length).toBeLessThanOrEqual(Math.ceil((OUTAGE_MS / 1000) * 0.5));
    expect(refused).toBeLessThanOrEqual(Math.ceil((OUTAGE_MS / 1000) * 0.5) + 1);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(800);
    // Growing: each wait at least the previous base delay.
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(800 * 2 ** i);
    // Resumed by watching from where it was: no relist was needed.
    expect(during.every((call) => call.kind === 'watch')).toBe(true);
    await admin.delete().namespace(namespace).resource('configmaps').name('after-outage').do();
    await run.stop();
  }, Math.max(120_000, OUTAGE_MS + recoveryBoundMs(OUTAGE_MS) + 30_000));

  it('lists in pages; an expired continue token falls back to one full list, a 410 on the first list to a list from the latest state', async () => {
    const since = performance.now();
    // The first list (resourceVersion 0, served from the watch cache) says 410 …
    proxy.inject({ match: (r) => mine(r) && r.kind === 'list' && r.query.get('resourceVersion') === '0', respond: { status: 410, body: expiredStatus('too old') } });
    // … the relist from the latest state is paged, and its second page's token has expired.
    proxy.inject({ match: (r) => mine(r) && r.kind === 'list' && r.query.has('continue'), respond: { status: 410, body: expiredStatus('The provided continue parameter is too old') } });
    const run = await startInformer({ useWatchList: false, pageSize: 5 });
    const lists = proxy.requests.filter((r) => mine(r) && r.kind === 'list' && r.at >= since);
    expect(lists.map((r) => [r.query.get('resourceVersion'), r.query.get('limit'), r.query.has('continue'), r.injected])).toEqual([
      ['0', '5', false, true],
      ['', '5', false, false],
      [null, '5', true, true],
      ['', null, false, false],
    ]);
    expect(run.informer.getStore().size).toBe(12);
    await run.matchesServer();
    await run.stop();
  });

  it('falls back to LIST when the server refuses watch-list, and stops asking', async () => {
    const since = performance.now();
    proxy.inject({
      match: (r) => mine(r) && r.kind === 'watch-list',
      respond: { status: 400, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: 'sendInitialEvents is forbidden for watch' } },
    });
    const run = await startInformer();
    expect(run.informer.reflectorStats()).toMatchObject({ watchLists: 1, lists: 1, syncs: 1 });
    // A relist later goes straight to LIST.
    proxy.inject({ match: (r) => mine(r) && r.kind === 'watch', respond: { watchEvents: [{ type: 'ERROR', object: expiredStatus('too old resource version') }] } });
    // Break the open watch: the informer resumes, gets the 410 and relists.
    proxy.refuse(true);
    proxy.refuse(false);
    await eventually(() => run.informer.reflectorStats().syncs === 2, 15_000, () => JSON.stringify(run.informer.reflectorStats()));
    expect(run.informer.reflectorStats()).toMatchObject({ watchLists: 1, lists: 2 });
    expect(proxy.requests.filter((r) => mine(r) && r.kind === 'watch-list' && r.at >= since)).toHaveLength(1);
    await run.matchesServer();
    await run.stop();
  });

  it('falls back to LIST for a round when a watch-list stream ends before its initial-events-end bookmark', async () => {
    proxy.inject({ match: (r) => mine(r) && r.kind === 'watch-list', respond: { watchEvents: [{ type: 'ADDED', object: configMap('phantom') }] } });
    const run = await startInformer();
    expect(run.errors.some((error) => ReflectorError.isInstance(error) && error.reason === 'watch-list-incomplete')).toBe(true);
    expect(run.informer.lister().byNamespace(namespace).get('phantom')).toBeUndefined();
    expect(run.informer.reflectorStats()).toMatchObject({ watchLists: 1, lists: 1 });
    await run.matchesServer();
    await run.stop();
  });
});

/*
 * The informer under churn (issues #11 and #14, reliability suite 3): 100 ConfigMaps changed 5,000
 * times in all (updates, deletes, re-creates) by 8 writers, while the fault proxy (@kgo/envtest)
 * cuts the informer's watch every ~300 events and, halfway, kube-apiserver is restarted (a
 * control plane of this file's own: the shared test cluster is never restarted). At the end the
 * cache must equal a fresh LIST exactly, every handler event must fit what the handler was told
 * before, and the full reads must be few: the first sync, and at most one more for the restart.
 *
 * CI size (the default) is 3,000 changes with a cut every ~180 events (the same number of cuts,
 * about 40 s on 2 shared cores); the issue's full size is
 * `KGO_INFORMER_STRESS_CHANGES=5000 KGO_INFORMER_STRESS_CUT_EVERY=300` (about 60 s). Also
 * KGO_INFORMER_STRESS_OBJECTS (100) and KGO_INFORMER_STRESS_WATCHLIST (1: sync by watch-list; 0: LIST).
 */
import { type ControlPlane, describeControlPlane, FaultProxy, restConfigFor, startControlPlane } from '@kgo/envtest';
import { isAlreadyExists, isNotFound, PatchType, type RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigMap, ConsistencyChecker, churn, configMap, coreClient, createConfigMap, createNamespace, eventually, listConfigMaps, untilWritten, versionsOf } from '../test/fixtures.ts';
import { isRetriableWatchError } from './watch-errors.ts';
import { listerWatcherFor } from './rest-lister-watcher.ts';
import { SharedIndexInformer } from './shared-informer.ts';

const OBJECTS = Number(process.env.KGO_INFORMER_STRESS_OBJECTS ?? 100);
const CHANGES = Number(process.env.KGO_INFORMER_STRESS_CHANGES ?? 3000);
const CUT_EVERY = Number(process.env.KGO_INFORMER_STRESS_CUT_EVERY ?? 180);
const USE_WATCH_LIST = process.env.KGO_INFORMER_STRESS_WATCHLIST !== '0';
const WRITERS = 8;

const namespace = 'kgo-informer-stress';
let plane: ControlPlane;
let admin: RestClient;
let proxy: FaultProxy;

beforeAll(async () => {
  plane = await startControlPlane();
  const cluster = describeControlPlane(plane);
  admin = coreClient(restConfigFor(cluster, { qps: -1 }));
  proxy = await FaultProxy.start(cluster);
  await createNamespace(admin, namespace);
  const names = Array.from({ length: OBJECTS }, (_, i) => `obj-${i}`);
  for (let i = 0; i < names.length; i += WRITERS) {
    await Promise.all(names.slice(i, i + WRITERS).map((name) => createConfigMap(admin, namespace, configMap(name, { stress: 'true' }, { n: '0' }))));
  }
});

afterAll(async () => {
  await admin?.close();
  await proxy?.close();
  await plane?.stop();
}, 60_000);

describe('SharedIndexInformer under churn and cut watches', () => {
  it(`${OBJECTS} objects, ${CHANGES} changes, watch cut every ~${CUT_EVERY} events, one kube-apiserver restart halfway: cache = LIST, events consistent, LISTs bounded`, async () => {
    proxy.cutWatchesAfter([Math.round(CUT_EVERY * 0.8), Math.round(CUT_EVERY * 1.2)]);
    const client = coreClient(proxy.restConfig());
    const errors: unknown[] = [];
    const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(client, 'configmaps', { namespace }), {
      name: 'stress configmaps',
      useWatchList: USE_WATCH_LIST,
      onError: (error) => errors.push(error),
    });
    const checker = new ConsistencyChecker<ConfigMap>();
    informer.addEventHandler(checker);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    const since = performance.now();
    expect(await informer.waitForCacheSync(AbortSignal.timeout(30_000))).toBe(true);

    // The writers: each change picks an object no other writer is touching; an existing object is
    // updated (90%) or deleted, a deleted one is created again.
    const exists = new Set(Array.from({ length: OBJECTS }, (_, i) => i));
    let restart: Promise<void> | undefined;
    let restartMs = 0;
    const counts = { updates: 0, deletes: 0, creates: 0, retries: 0 };
    const started = performance.now();
    // Each write is sent again through the outage; a create or delete whose answer was lost may
    // have been applied, which the retry's AlreadyExists / NotFound then says.
    const lostAnswer = (expected: (error: unknown) => boolean) => (error: unknown) => (expected(error) ? Promise.resolve() : undefined);
    await churn({
      objects: OBJECTS,
      changes: CHANGES,
      writers: WRITERS,
      // Every watch ends, requests are refused for a few seconds, then a new watch cache.
      halfway: () => {
        const at = performance.now();
        restart = plane.restartApiServer().then(() => void (restartMs = performance.now() - at));
      },
      change: async (index, step) => {
        const name = `obj-${index}`;
        if (!exists.has(index)) {
          await untilWritten(() => createConfigMap(admin, namespace, configMap(name, { stress: 'true' }, { n: String(step) })).then(() => {}), lostAnswer(isAlreadyExists), counts);
          exists.add(index);
          counts.creates++;
        } else if (Math.random() < 0.9) {
          await untilWritten(() => admin.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name(name).body({ data: { n: String(step) } }).do().then(() => {}), () => undefined, counts);
          counts.updates++;
        } else {
          await untilWritten(() => admin.delete().namespace(namespace).resource('configmaps').name(name).do().then(() => {}), lostAnswer(isNotFound), counts);
          exists.delete(index);
          counts.deletes++;
        }
      },
    });
    await restart;
    const writeMs = performance.now() - started;

    // Converged: the cache is exactly what a fresh LIST says, and so is the handler's view.
    let server = new Map<string, string>();
    await eventually(
      async () => {
        server = versionsOf(await listConfigMaps(admin, namespace));
        return JSON.stringify([...versionsOf(informer.getStore().list())].sort()) === JSON.stringify([...server].sort());
      },
      30_000,
      () => `cache has ${informer.getStore().size}, server ${server.size}; stats ${JSON.stringify(informer.reflectorStats())}`,
      200,
    );
    await informer.waitForHandlers();
    const convergedMs = performance.now() - started;
    expect(checker.violations.slice(0, 10)).toEqual([]);
    expect(checker.versions()).toEqual(server);

    const stats = informer.reflectorStats();
    const onWire = { lists: proxy.count('list', since), watchLists: proxy.count('watch-list', since), watches: proxy.count('watch', since) };
    // Full reads the server answered (the others were refused or failed while it was down).
    const answered = proxy.requests.filter((r) => (r.kind === 'list' || r.kind === 'watch-list') && r.at >= since && r.upstreamStatus === 200).length;
    const kinds: Record<string, number> = {};
    for (const error of errors) {
      const e = error as { name?: string; status?: { code?: number; reason?: string }; code?: string };
      const kind = `${e.name ?? 'Error'} ${e.status ? `${e.status.code} ${e.status.reason}` : (e.code ?? '')}`.trim();
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    const events = checker.counts.add + checker.counts.update + checker.counts.delete;
    console.log(
      `[stress] ${OBJECTS} objects, ${CHANGES} changes (${JSON.stringify(counts)}) in ${(writeMs / 1000).toFixed(1)} s, restart took ${(restartMs / 1000).toFixed(1)} s, converged at ${(convergedMs / 1000).toFixed(1)} s; ` +
        `${proxy.cuts} cuts, ${proxy.eventsForwarded} events forwarded; on the wire ${JSON.stringify(onWire)} (full reads answered ${answered}); reflector ${JSON.stringify(stats)}; ` +
        `handler events ${JSON.stringify(checker.counts)} (${events}); errors reported ${errors.length} ${JSON.stringify(kinds)}`,
    );
    expect(restartMs).toBeGreaterThan(0);
    expect(proxy.cuts).toBeGreaterThanOrEqual(Math.floor(CHANGES / CUT_EVERY / 2));
    // Cuts resume the watch from the last resourceVersion: only the first sync reads the whole
    // collection, plus at most one relist for the restart — when the new server answers the
    // resume with 410 (its new watch cache may not reach back that far) or refuses the watch
    // with an error that is not retried in place (client-go relists then too). While it is
    // down, attempts fail and wait the backoff; those are not answered reads.
    const relistCauses = errors.filter((error) => !isRetriableWatchError(error)).length;
    expect(stats.syncs).toBe(relistCauses > 0 ? 2 : 1);
    expect(answered).toBeLessThanOrEqual(3);
    if (USE_WATCH_LIST) expect(onWire.lists).toBe(0);
    expect(onWire.watches).toBeGreaterThanOrEqual(proxy.cuts);
    expect(checker.counts.tombstones).toBeLessThanOrEqual(counts.deletes);

    stop.abort();
    await running;
    await client.close();
    proxy.cutWatchesAfter(undefined);
  }, 180_000);
});

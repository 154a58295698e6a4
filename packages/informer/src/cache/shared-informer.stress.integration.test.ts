/*
 * The informer under churn (issue #11): 100 ConfigMaps changed 5,000 times in all (updates,
 * deletes, re-creates) by 8 writers, while the fault proxy (@kgo/envtest) cuts the informer's watch every
 * ~300 events and, halfway, answers one resume with 410 Expired (what a restarted API server's
 * watch cache does; envtest cannot restart one kube-apiserver in place, so the relist it forces
 * is provoked this way). At the end the cache must equal a fresh LIST exactly, every handler
 * event must fit what the handler was told before, and the LISTs must be few.
 *
 * CI size (the default) is 3,000 changes with a cut every ~180 events (the same number of cuts,
 * about 40 s on 2 shared cores); the full size is
 * `KGO_INFORMER_STRESS_CHANGES=5000 KGO_INFORMER_STRESS_CUT_EVERY=300` (about 60 s). Also
 * KGO_INFORMER_STRESS_OBJECTS (100) and KGO_INFORMER_STRESS_WATCHLIST (1: sync by watch-list; 0: LIST).
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { isNotFound, PatchType } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '@kgo/envtest';
import { type ConfigMap, ConsistencyChecker, configMap, coreClient, createConfigMap, createNamespace, deleteNamespace, eventually, listConfigMaps, versionsOf } from '../test/fixtures.ts';
import { listerWatcherFor } from './rest-lister-watcher.ts';
import { SharedIndexInformer } from './shared-informer.ts';

const OBJECTS = Number(process.env.KGO_INFORMER_STRESS_OBJECTS ?? 100);
const CHANGES = Number(process.env.KGO_INFORMER_STRESS_CHANGES ?? 3000);
const CUT_EVERY = Number(process.env.KGO_INFORMER_STRESS_CUT_EVERY ?? 180);
const USE_WATCH_LIST = process.env.KGO_INFORMER_STRESS_WATCHLIST !== '0';
const WRITERS = 8;

const cluster = testCluster();
const admin = coreClient({ ...restConfigFor(cluster), qps: -1 });
const namespace = uniqueNamespace('kgo-informer-stress');
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await FaultProxy.start(cluster);
  await createNamespace(admin, namespace);
  const names = Array.from({ length: OBJECTS }, (_, i) => `obj-${i}`);
  for (let i = 0; i < names.length; i += WRITERS) {
    await Promise.all(names.slice(i, i + WRITERS).map((name) => createConfigMap(admin, namespace, configMap(name, { stress: 'true' }, { n: '0' }))));
  }
});

afterAll(async () => {
  await deleteNamespace(admin, namespace);
  await admin.close();
  await proxy.close();
});

describe('SharedIndexInformer under churn and cut watches', () => {
  it(`${OBJECTS} objects, ${CHANGES} changes, watch cut every ~${CUT_EVERY} events, one 410 halfway: cache = LIST, events consistent, LISTs bounded`, async () => {
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
    const busy = new Set<number>();
    let done = 0;
    let injected = false;
    const counts = { updates: 0, deletes: 0, creates: 0 };
    const started = performance.now();
    async function writer(): Promise<void> {
      while (done < CHANGES) {
        done++;
        if (!injected && done >= CHANGES / 2) {
          injected = true;
          // The next resume is answered with 410: the informer must relist and diff.
          proxy.inject({ match: (r) => r.kind === 'watch' && r.path.includes(namespace), respond: { watchEvents: [{ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } }] } });
        }
        let index = Math.floor(Math.random() * OBJECTS);
        while (busy.has(index)) index = (index + 1) % OBJECTS;
        busy.add(index);
        const name = `obj-${index}`;
        try {
          if (!exists.has(index)) {
            await createConfigMap(admin, namespace, configMap(name, { stress: 'true' }, { n: String(done) }));
            exists.add(index);
            counts.creates++;
          } else if (Math.random() < 0.9) {
            await admin.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name(name).body({ data: { n: String(done) } }).do();
            counts.updates++;
          } else {
            await admin.delete().namespace(namespace).resource('configmaps').name(name).do();
            exists.delete(index);
            counts.deletes++;
          }
        } catch (error) {
          if (!isNotFound(error)) throw error;
        } finally {
          busy.delete(index);
        }
      }
    }
    await Promise.all(Array.from({ length: WRITERS }, () => writer()));
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
    const events = checker.counts.add + checker.counts.update + checker.counts.delete;
    console.log(
      `[stress] ${OBJECTS} objects, ${CHANGES} changes (${JSON.stringify(counts)}) in ${(writeMs / 1000).toFixed(1)} s, converged at ${(convergedMs / 1000).toFixed(1)} s; ` +
        `${proxy.cuts} cuts, ${proxy.eventsForwarded} events forwarded; on the wire ${JSON.stringify(onWire)}; reflector ${JSON.stringify(stats)}; ` +
        `handler events ${JSON.stringify(checker.counts)} (${events}); errors reported ${errors.length}`,
    );
    expect(injected).toBe(true);
    expect(proxy.cuts).toBeGreaterThanOrEqual(Math.floor(CHANGES / CUT_EVERY / 2));
    // Cuts resume the watch from the last resourceVersion: only the first sync and the one relist
    // the 410 forced read the whole collection.
    expect(stats.syncs).toBe(2);
    expect(onWire.lists + onWire.watchLists).toBeLessThanOrEqual(3);
    if (USE_WATCH_LIST) expect(onWire.lists).toBe(0);
    expect(onWire.watches).toBeGreaterThanOrEqual(proxy.cuts);
    expect(checker.counts.tombstones).toBeLessThanOrEqual(counts.deletes);

    stop.abort();
    await running;
    await client.close();
    proxy.cutWatchesAfter(undefined);
  }, 180_000);
});

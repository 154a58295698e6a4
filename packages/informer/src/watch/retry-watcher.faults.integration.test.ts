/*
 * Reliability suite 3 (issue #14), the plain-watch half: one RetryWatcher over a @kgo/rest watch
 * of a namespace's ConfigMaps while writers make M changes to N objects (creates, merge patches,
 * deletes, re-creates), the fault proxy cuts the watch every ~500 events, and kube-apiserver is
 * restarted once halfway (its own control plane: the shared test cluster is never restarted).
 * The watcher must deliver exactly the server's change sequence: per object, the writes in order
 * with the resourceVersions the server returned; overall, resourceVersions strictly increasing
 * (so nothing twice), nothing missed.
 *
 * The restart is quiet: the writers pause, the watcher delivers every write so far, then the
 * server restarts, and the writers go on once the watch can go on. The restarted server's watch
 * cache starts at etcd's current revision, so any write after the last event the watcher saw
 * makes its resourceVersion "too old" (410) without any compaction: a write of ours caught by the
 * restart (which made this suite fail by timing), but also the server's own writes (its identity
 * Lease, renewed every 10 s, and writes at start-up), which no test controls. So the restart has
 * two outcomes, both asserted: the watcher resumes from its resourceVersion, or it ends with that
 * 410, as client-go's RetryWatcher does; then a LIST must equal what the events said (nothing of
 * ours was lost: the writers were paused) and a new RetryWatcher goes on from the LIST's
 * resourceVersion, as the RetryWatcher's docs tell a caller to.
 *
 * Sizes: KGO_RETRY_WATCHER_OBJECTS (CI 50) and KGO_RETRY_WATCHER_CHANGES (CI 1,500); the issue's
 * full size is 100 / 10,000. Writers send a write again after a transient failure; a write whose
 * answer was lost may have been applied, so a create answered AlreadyExists on retry reads its
 * resourceVersion back, and a delete answered NotFound on retry counts as done. A DELETE of a
 * ConfigMap answers with a Status (no resourceVersion): a delete's event is matched by name and
 * order, not by version.
 */
import { describeControlPlane, FaultProxy, restConfigFor, startControlPlane, type ControlPlane } from '@kgo/envtest';
import { isAlreadyExists, isNotFound, PatchType, type RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listerWatcherFor } from '../cache/rest-lister-watcher.ts';
import { isExpiredError, statusErrorFromEvent } from '../cache/watch-errors.ts';
import {
  type ConfigMap,
  configMap,
  coreClient,
  createConfigMap,
  createNamespace,
  churn,
  eventually,
  isTransient,
  untilWritten,
  versionsOf,
} from '../test/fixtures.ts';
import { RetryWatcher, type RetryWatchEvent } from './retry-watcher.ts';

const OBJECTS = Number(process.env.KGO_RETRY_WATCHER_OBJECTS ?? 50);
const CHANGES = Number(process.env.KGO_RETRY_WATCHER_CHANGES ?? 1500);
const CUT: [number, number] = [400, 600];
const WRITERS = 8;

let plane: ControlPlane;
let proxy: FaultProxy;
let admin: RestClient;
const namespace = 'kgo-retry-watcher';

beforeAll(async () => {
  plane = await startControlPlane();
  const cluster = describeControlPlane(plane);
  proxy = await FaultProxy.start(cluster);
  admin = coreClient(restConfigFor(cluster, { qps: -1 }));
  await createNamespace(admin, namespace);
}, 120_000);

afterAll(async () => {
  await admin?.close();
  await proxy?.close();
  await plane?.stop();
});

/** One change as the writers saw it: `resourceVersion` undefined for a delete (the server answers with a Status). */
interface Change {
  type: RetryWatchEvent<ConfigMap>['type'];
  resourceVersion: string | undefined;
}

/** One event as the watchers delivered it. */
interface Received {
  type: string;
  name: string;
  resourceVersion: string;
}

/** One RetryWatcher and how its iteration ended: `'running'`, `'stopped'`, or what it threw. */
interface WatcherRun {
  watcher: RetryWatcher<ConfigMap>;
  ended: unknown;
  done: Promise<void>;
}

/**
 * Whether the server can serve a watch of the namespace's ConfigMaps from `resourceVersion`
 * (false: it answers 410): one short watch, sent again while the restarted server is not ready
 * (429 while its watch cache initializes). A watch from a resourceVersion is always served by the
 * watch cache, so its answer is the answer the RetryWatcher gets from the same resourceVersion.
 */
async function watchableFrom(resourceVersion: string): Promise<boolean> {
  const deadline = performance.now() + 60_000;
  while (true) {
    try {
      const stream = await admin.get().namespace(namespace).resource('configmaps').params({ resourceVersion, timeoutSeconds: 1 }).watch<ConfigMap>();
      try {
        for await (const event of stream) {
          if (event.type === 'ERROR') throw statusErrorFromEvent(event.object, `a watch from resourceVersion "${resourceVersion}"`);
        }
      } finally {
        stream.stop();
      }
      return true;
    } catch (error) {
      if (isExpiredError(error)) return false;
      if (!isTransient(error) || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `namespace/name → resourceVersion` of the objects the events say exist (as {@link versionsOf} keys a LIST). */
function stateFrom(events: readonly Received[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'DELETED') state.delete(`${namespace}/${event.name}`);
    else state.set(`${namespace}/${event.name}`, event.resourceVersion);
  }
  return state;
}

describe('RetryWatcher through cut watches and a kube-apiserver restart (reliability suite 3)', () => {
  it(`${OBJECTS} objects, ${CHANGES} changes, watch cut every ${CUT[0]}–${CUT[1]} events, one quiet restart: every change once, in order`, async () => {
    proxy.cutWatchesAfter(CUT);
    const client = coreClient(proxy.restConfig());
    const configMaps = listerWatcherFor<ConfigMap>(client, 'configmaps', { namespace });
    const listNow = () => admin.get().namespace(namespace).resource('configmaps').do().into<{ metadata: { resourceVersion: string }; items: ConfigMap[] }>();
    const start = await listNow();
    const since = performance.now();
    const errors: unknown[] = [];
    const received: Received[] = [];
    const runs: WatcherRun[] = [];
    const watchFrom = (resourceVersion: string) => {
      const watcher = new RetryWatcher<ConfigMap>(resourceVersion, configMaps, { name: `configmaps in ${namespace}`, onError: (error) => errors.push(error) });
      const run: WatcherRun = { watcher, ended: 'running', done: Promise.resolve() };
      run.done = (async () => {
        try {
          for await (const event of watcher) {
            received.push({ type: event.type, name: event.object.metadata?.name ?? '', resourceVersion: event.object.metadata?.resourceVersion ?? '' });
          }
          run.ended = 'stopped';
        } catch (error) {
          run.ended = error;
        }
      })();
      runs.push(run);
    };
    const current = () => runs[runs.length - 1]!;
    watchFrom(start.metadata.resourceVersion);

    const expected = new Map<string, Change[]>();
    const exists = new Set<number>();
    const counts = { creates: 0, updates: 0, deletes: 0, retries: 0, readBack: 0, deletedBefore: 0 };
    const written = () => counts.creates + counts.updates + counts.deletes;
    const restart = { ms: 0, outcome: 'none', expiredAt: '' };
    const record = (name: string, change: Change) => {
      const list = expected.get(name) ?? [];
      list.push(change);
      expected.set(name, list);
    };

    // While `paused` is set, no change starts; `inFlight` counts those that started before.
    let paused: Promise<void> | undefined;
    let inFlight = 0;
    const quietRestart = async () => {
      await eventually(() => inFlight === 0, 120_000, () => `${inFlight} changes still in flight`);
      await eventually(
        () => received.length >= written() || current().ended !== 'running',
        60_000,
        () => `received ${received.length} of ${written()} events before the restart; watcher stats ${JSON.stringify(current().watcher.stats)}`,
      );
      expect(current().ended, 'the watcher before the restart').toBe('running');
      expect(received.length, 'events delivered before the restart').toBe(written());
      const last = current().watcher.lastResourceVersion;
      const at = performance.now();
      await plane.restartApiServer();
      restart.ms = performance.now() - at;
      if (await watchableFrom(last)) {
        restart.outcome = `resumed from ${last}`;
        return;
      }
      // The documented outcome: the RetryWatcher ends with the server's 410 for its resourceVersion.
      await eventually(() => current().ended !== 'running', 90_000, () => `the watcher did not end after a watch from ${last} was answered 410; stats ${JSON.stringify(current().watcher.stats)}`, 100);
      const gone = current().ended;
      expect(isExpiredError(gone), `the watcher ended with ${String(gone)}`).toBe(true);
      expect((gone as Error).message).toContain(`too old resource version: ${last} (`);
      restart.expiredAt = last;
      // Nothing of ours changed in the gap: a LIST is exactly what the events said, so a watch from its resourceVersion misses nothing.
      const relist = await listNow();
      expect(versionsOf(relist.items), 'the LIST after the 410 against the events delivered').toEqual(stateFrom(received));
      restart.outcome = `410 from ${last}, listed again at ${relist.metadata.resourceVersion}`;
      watchFrom(relist.metadata.resourceVersion);
    };

    const started = performance.now();
    await churn({
      objects: OBJECTS,
      changes: CHANGES,
      writers: WRITERS,
      halfway: () => {
        paused = quietRestart().finally(() => (paused = undefined));
      },
      change: async (index, step) => {
        while (paused) await paused;
        inFlight++;
        try {
          await change(index, step);
        } finally {
          inFlight--;
        }
      },
    });
    const writeMs = performance.now() - started;
    const writes = written();

    // The writers: each change takes an object no other writer is touching; an object not there
    // is created, an existing one patched (90 %) or deleted.
    async function change(index: number, step: number): Promise<void> {
      const name = `obj-${index}`;
      const objects = () => admin.get().namespace(namespace).resource('configmaps').name(name);
      if (!exists.has(index)) {
        const created = await untilWritten(
          () => createConfigMap(admin, namespace, configMap(name, {}, { n: String(step) })),
          (error) => (isAlreadyExists(error) ? (counts.readBack++, objects().do().into<ConfigMap>()) : undefined),
          counts,
        );
        record(name, { type: 'ADDED', resourceVersion: created.metadata?.resourceVersion });
        exists.add(index);
        counts.creates++;
      } else if (Math.random() < 0.9) {
        // A merge patch applied twice changes nothing the second time: the answer is the first's version.
        const patched = await untilWritten(
          () => admin.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name(name).body({ data: { n: String(step) } }).do().into<ConfigMap>(),
          () => undefined,
          counts,
        );
        record(name, { type: 'MODIFIED', resourceVersion: patched.metadata?.resourceVersion });
        counts.updates++;
      } else {
        await untilWritten(
          () => admin.delete().namespace(namespace).resource('configmaps').name(name).do().into<unknown>(),
          (error) => (isNotFound(error) ? (counts.deletedBefore++, Promise.resolve(undefined)) : undefined),
          counts,
        );
        record(name, { type: 'DELETED', resourceVersion: undefined });
        exists.delete(index);
        counts.deletes++;
      }
    }

    await eventually(
      () => received.length >= writes || current().ended !== 'running',
      60_000,
      () => `received ${received.length} of ${writes} events; watcher stats ${JSON.stringify(current().watcher.stats)}`,
      100,
    );
    current().watcher.stop();
    await Promise.all(runs.map((run) => run.done));
    const ended = current().ended;
    const onWire = { watches: proxy.count('watch', since) };
    console.log(
      `[retry-watcher] ${OBJECTS} objects, ${CHANGES} changes (${JSON.stringify(counts)}) in ${(writeMs / 1000).toFixed(1)} s, restart took ${(restart.ms / 1000).toFixed(1)} s (${restart.outcome}); ` +
        `${received.length} events received of ${writes} writes; ${proxy.cuts} cuts, ${onWire.watches} watches on the wire, ` +
        `${proxy.eventsForwarded} lines forwarded; ${runs.length} watcher(s) ${JSON.stringify(runs.map((run) => run.watcher.stats))}; errors retried ${errors.length}` +
        (ended === 'stopped' ? '' : `; ENDED WITH ${String(ended)}`),
    );
    expect(ended).toBe('stopped');
    // Only the first watcher may have ended otherwise, and only with the 410 the restart explained.
    expect(runs.length).toBe(restart.expiredAt ? 2 : 1);

    // Strictly increasing resourceVersions: nothing twice, nothing out of order.
    const versions = received.map((event) => BigInt(event.resourceVersion));
    const backwards = versions.flatMap((version, i) => (i > 0 && version <= versions[i - 1]! ? [i] : []));
    expect(backwards).toEqual([]);
    // Per object, exactly the writes in order, each with the version the server answered.
    const got = new Map<string, Change[]>();
    for (const event of received) {
      const list = got.get(event.name) ?? [];
      list.push({ type: event.type as Change['type'], resourceVersion: event.type === 'DELETED' ? undefined : event.resourceVersion });
      got.set(event.name, list);
    }
    expect(received.length).toBe(writes);
    expect(got).toEqual(expected);

    // The faults really happened.
    expect(restart.ms).toBeGreaterThan(0);
    expect(restart.outcome).not.toBe('none');
    expect(proxy.cuts).toBeGreaterThanOrEqual(Math.floor(writes / CUT[1]) - 1);
    expect(proxy.cuts).toBeGreaterThan(0);
    expect(onWire.watches).toBeGreaterThan(proxy.cuts);
    await client.close();
    proxy.cutWatchesAfter(undefined);
  }, 300_000);
});

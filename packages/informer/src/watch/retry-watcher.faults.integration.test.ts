/*
 * Reliability suite 3 (issue #14), the plain-watch half: one RetryWatcher over a @kgo/rest watch
 * of a namespace's ConfigMaps while writers make M changes to N objects (creates, merge patches,
 * deletes, re-creates), the fault proxy cuts the watch every ~500 events, and kube-apiserver is
 * restarted once halfway (its own control plane: the shared test cluster is never restarted).
 * The watcher must deliver exactly the server's change sequence: per object, the writes in order
 * with the resourceVersions the server returned; overall, resourceVersions strictly increasing
 * (so nothing twice), nothing missed.
 *
 * Sizes: KGO_RETRY_WATCHER_OBJECTS (CI 50) and KGO_RETRY_WATCHER_CHANGES (CI 1,500); the issue's
 * full size is 100 / 10,000. Writers retry through the outage; a write whose answer was lost may
 * have been applied, so a create answered AlreadyExists on retry reads its resourceVersion back,
 * and a delete answered NotFound on retry counts as done. A DELETE of a ConfigMap answers with a
 * Status (no resourceVersion): a delete's event is matched by name and order, not by version.
 */
import { describeControlPlane, FaultProxy, restConfigFor, startControlPlane, type ControlPlane } from '@kgo/envtest';
import { isAlreadyExists, isNotFound, PatchType, type RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listerWatcherFor } from '../cache/rest-lister-watcher.ts';
import { type ConfigMap, configMap, coreClient, createConfigMap, createNamespace, churn, eventually, untilWritten } from '../test/fixtures.ts';
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

describe('RetryWatcher through cut watches and a kube-apiserver restart (reliability suite 3)', () => {
  it(`${OBJECTS} objects, ${CHANGES} changes, watch cut every ${CUT[0]}–${CUT[1]} events, one restart: every change once, in order`, async () => {
    proxy.cutWatchesAfter(CUT);
    const client = coreClient(proxy.restConfig());
    const start = await admin.get().namespace(namespace).resource('configmaps').do().into<{ metadata: { resourceVersion: string } }>();
    const since = performance.now();
    const errors: unknown[] = [];
    const watcher = new RetryWatcher<ConfigMap>(start.metadata.resourceVersion, listerWatcherFor<ConfigMap>(client, 'configmaps', { namespace }), {
      name: `configmaps in ${namespace}`,
      onError: (error) => errors.push(error),
    });
    const received: Array<{ type: string; name: string; resourceVersion: string }> = [];
    let ended: unknown = 'running';
    const consuming = (async () => {
      try {
        for await (const event of watcher) {
          received.push({ type: event.type, name: event.object.metadata?.name ?? '', resourceVersion: event.object.metadata?.resourceVersion ?? '' });
        }
        ended = 'stopped';
      } catch (error) {
        ended = error;
      }
    })();

    // The writers: each change takes an object no other writer is touching; an object not there
    // is created, an existing one patched (90 %) or deleted.
    const expected = new Map<string, Change[]>();
    const exists = new Set<number>();
    const counts = { creates: 0, updates: 0, deletes: 0, retries: 0, readBack: 0, deletedBefore: 0 };
    let restart: Promise<void> | undefined;
    let restartMs = 0;
    const started = performance.now();
    const record = (name: string, change: Change) => {
      const list = expected.get(name) ?? [];
      list.push(change);
      expected.set(name, list);
    };
    const halfway = () => {
      const at = performance.now();
      restart = plane.restartApiServer().then(() => void (restartMs = performance.now() - at));
    };
    await churn({
      objects: OBJECTS,
      changes: CHANGES,
      writers: WRITERS,
      halfway,
      change: async (index, step) => {
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
      },
    });
    await restart;
    const writeMs = performance.now() - started;
    const writes = counts.creates + counts.updates + counts.deletes;

    await eventually(
      () => received.length >= writes || ended !== 'running',
      60_000,
      () => `received ${received.length} of ${writes} events; watcher stats ${JSON.stringify(watcher.stats)}`,
      100,
    );
    watcher.stop();
    await consuming;
    const onWire = { watches: proxy.count('watch', since) };
    console.log(
      `[retry-watcher] ${OBJECTS} objects, ${CHANGES} changes (${JSON.stringify(counts)}) in ${(writeMs / 1000).toFixed(1)} s, restart took ${(restartMs / 1000).toFixed(1)} s; ` +
        `${received.length} events received of ${writes} writes; ${proxy.cuts} cuts, ${onWire.watches} watches on the wire (${onWire.watches - 1} resumes), ` +
        `${proxy.eventsForwarded} lines forwarded; watcher ${JSON.stringify(watcher.stats)}; errors retried ${errors.length}` +
        (ended === 'stopped' ? '' : `; ENDED WITH ${String(ended)}`),
    );
    expect(ended).toBe('stopped');

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
    expect(restartMs).toBeGreaterThan(0);
    expect(proxy.cuts).toBeGreaterThanOrEqual(Math.floor(writes / CUT[1]) - 1);
    expect(proxy.cuts).toBeGreaterThan(0);
    expect(onWire.watches).toBeGreaterThan(proxy.cuts);
    await client.close();
    proxy.cutWatchesAfter(undefined);
  }, 300_000);
});

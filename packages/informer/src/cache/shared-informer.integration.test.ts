/*
 * SharedIndexInformer against the real API server: sync by watch-list and by LIST, handlers,
 * listers, resync, late handlers, failing handlers.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigMap, ConsistencyChecker, configMap, coreClient, createConfigMap, createNamespace, deleteNamespace, eventually, listConfigMaps, versionsOf } from '../test/fixtures.ts';
import { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { listerWatcherFor } from './rest-lister-watcher.ts';
import { SharedIndexInformer, type SharedInformerOptions, waitForCacheSync } from './shared-informer.ts';

const cluster = testCluster();
const core = coreClient(restConfigFor(cluster));
const namespace = uniqueNamespace('kgo-informer');

beforeAll(async () => {
  await createNamespace(core, namespace);
  for (let i = 0; i < 12; i++) await createConfigMap(core, namespace, configMap(`cm-${i}`, { app: i % 2 === 0 ? 'web' : 'db', index: String(i) }, { v: '0' }));
});

afterAll(async () => {
  await deleteNamespace(core, namespace);
  await core.close();
});

function newInformer(options: SharedInformerOptions<ConfigMap> = {}) {
  const errors: unknown[] = [];
  const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace }), {
    name: `configmaps in ${namespace}`,
    onError: (error) => errors.push(error),
    ...options,
  });
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  return { informer, errors, stop: async () => (stop.abort(), await running) };
}

describe('SharedIndexInformer', () => {
  it.each([
    ['a watch-list stream', true],
    ['a LIST', false],
  ])('syncs by %s, then follows adds, updates and deletes, each event consistent with the store', async (_, useWatchList) => {
    const checker = new ConsistencyChecker<ConfigMap>();
    const { informer, errors, stop } = newInformer({ useWatchList });
    const registration = informer.addEventHandler(checker);
    expect(informer.hasSynced()).toBe(false);
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    await eventually(() => registration.hasSynced(), 5000, () => 'registration never synced');

    const stats = informer.reflectorStats();
    if (useWatchList) expect(stats).toMatchObject({ watchLists: 1, lists: 0, syncs: 1 });
    else expect(stats).toMatchObject({ watchLists: 0, lists: 1, syncs: 1 });
    await eventually(() => informer.isWatching(), 5000, () => 'not watching');
    expect(Number(informer.lastSyncResourceVersion())).toBeGreaterThan(0);
    expect(versionsOf(informer.getStore().list())).toEqual(versionsOf(await listConfigMaps(core, namespace)));
    expect(checker.counts.add).toBe(12);

    const added = await createConfigMap(core, namespace, configMap(`late-${useWatchList}`, { app: 'web' }));
    const updated = await core.put().namespace(namespace).resource('configmaps').name('cm-1').body({ ...informer.lister().byNamespace(namespace).get('cm-1'), data: { v: `u-${useWatchList}` } }).do().into<ConfigMap>();
    await core.delete().namespace(namespace).resource('configmaps').name(`late-${useWatchList}`).do();
    await eventually(
      () => informer.lastSyncResourceVersion() !== updated.metadata?.resourceVersion && checker.counts.delete === 1,
      10_000,
      () => `events seen: ${JSON.stringify(checker.counts)}`,
    );
    expect(informer.lister().byNamespace(namespace).get('cm-1')?.data).toEqual({ v: `u-${useWatchList}` });
    expect(informer.lister().byNamespace(namespace).get(added.metadata!.name!)).toBeUndefined();
    expect(checker.counts).toMatchObject({ add: 13, update: 1, delete: 1, tombstones: 0 });
    expect(checker.violations).toEqual([]);
    expect(checker.versions()).toEqual(versionsOf(informer.getStore().list()));
    expect(errors).toEqual([]);

    // Put cm-1 back for the next run.
    await core.put().namespace(namespace).resource('configmaps').name('cm-1').body({ ...updated, data: { v: '0' } }).do();
    await stop();
    expect(informer.isStopped()).toBe(true);
    expect(informer.isWatching()).toBe(false);
  });

  it('lists from the cache by namespace and label selector, as the server selects', async () => {
    const { informer, stop } = newInformer();
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const lister = informer.lister();
    for (const selector of ['app=web', 'app!=web', 'app in (web,db)', 'app notin (db)', 'index', '!index', 'index in (1,3,5),app=db', 'index>5', 'index<3,app=web', '']) {
      const fromServer = (await listConfigMaps(core, namespace, selector)).map((cm) => cm.metadata!.name).sort();
      const fromCache = lister.byNamespace(namespace).list(selector).map((cm) => cm.metadata!.name).sort();
      expect(fromCache, `selector ${JSON.stringify(selector)}`).toEqual(fromServer);
    }
    expect(lister.byNamespace('elsewhere').list()).toEqual([]);
    expect(lister.list('app=web').length).toBe(6);
    // The cached objects themselves, not copies.
    expect(lister.byNamespace(namespace).get('cm-0')).toBe(informer.getIndexer().getByKey(`${namespace}/cm-0`));
    await stop();
  });

  it('refuses a selector the server refuses', async () => {
    const { informer, stop } = newInformer();
    for (const selector of ['a in (b', 'a=b c', 'Bad_Prefix/x=1', 'a>b']) {
      await expect(listConfigMaps(core, namespace, selector), selector).rejects.toMatchObject({ status: { code: 400 } });
      expect(() => informer.lister().list(selector), selector).toThrow(`invalid label selector ${JSON.stringify(selector)}`);
    }
    await stop();
  });

  it('gives a handler added after sync an add for every cached object, then live events', async () => {
    const { informer, stop } = newInformer();
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const initial: boolean[] = [];
    const late = informer.addEventHandler({ onAdd: (_, isInInitialList) => void initial.push(isInInitialList) });
    expect(await waitForCacheSync(AbortSignal.timeout(5000), informer, late)).toBe(true);
    expect(initial).toEqual(Array(12).fill(true));
    await createConfigMap(core, namespace, configMap('after-late'));
    await eventually(() => initial.length === 13, 10_000, () => `${initial.length} adds`);
    expect(initial[12]).toBe(false);
    await core.delete().namespace(namespace).resource('configmaps').name('after-late').do();
    await stop();
  });

  it('keeps going when a handler throws or rejects, reporting each failure', async () => {
    const { informer, errors, stop } = newInformer();
    const good: string[] = [];
    informer.addEventHandler({
      onAdd: (cm) => {
        if (cm.metadata?.name === 'cm-3') throw new Error('handler bug on cm-3');
      },
      onUpdate: async () => {
        throw new Error('async handler bug');
      },
    });
    informer.addEventHandler({ onAdd: (cm) => void good.push(cm.metadata!.name!), onUpdate: (_, cm) => void good.push(`update ${cm.metadata!.name}`) });
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const cm = informer.lister().byNamespace(namespace).get('cm-4')!;
    await core.put().namespace(namespace).resource('configmaps').name('cm-4').body({ ...cm, data: { v: 'x' } }).do();
    await eventually(() => good.includes('update cm-4'), 10_000, () => good.join(','));
    await informer.waitForHandlers();
    expect(good.filter((name) => !name.startsWith('update'))).toHaveLength(12);
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(['async handler bug', 'handler bug on cm-3']);
    expect(informer.isWatching()).toBe(true);
    await core.put().namespace(namespace).resource('configmaps').name('cm-4').body({ ...cm, metadata: { ...cm.metadata, resourceVersion: undefined }, data: { v: '0' } }).do();
    await stop();
  });

  it('resyncs: a handler with a resync period gets update(obj, obj) for every object; others do not', async () => {
    const { informer, stop } = newInformer();
    const resyncs = new Map<string, number>();
    let others = 0;
    informer.addEventHandler(
      {
        onUpdate: (oldObj, newObj) => {
          if (oldObj === newObj) resyncs.set(newObj.metadata!.name!, (resyncs.get(newObj.metadata!.name!) ?? 0) + 1);
        },
      },
      { resyncPeriodMs: 1000 },
    );
    informer.addEventHandler({ onUpdate: () => void others++ });
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    await eventually(() => resyncs.size === 12 && [...resyncs.values()].every((n) => n >= 2), 10_000, () => JSON.stringify([...resyncs]));
    expect(others).toBe(0);
    await stop();
  });

  it('deep-freezes cached objects when asked', async () => {
    const { informer, stop } = newInformer({ freezeObjects: true });
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const cm = informer.lister().byNamespace(namespace).get('cm-0')!;
    expect(() => {
      cm.data!.v = 'mutated';
    }).toThrow(TypeError);
    await stop();
  });

  it('waitForCacheSync resolves false when its signal aborts first, and when the informer stops', async () => {
    const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace }));
    expect(await informer.waitForCacheSync(AbortSignal.timeout(50))).toBe(false);
    const waiting = informer.waitForCacheSync();
    informer.stop();
    expect(await waiting).toBe(false);
    expect(() => informer.addEventHandler({})).toThrow('the informer has stopped');
    expect(DeletedFinalStateUnknown.isInstance(new DeletedFinalStateUnknown('a/b', {}))).toBe(true);
  });
});

/*
 * The factories against the real API server: one informer per resource, namespace and tweak;
 * start, sync and shut down together; the DynamicClient shape (built here over RestClients, as
 * @kgo/informer may not depend on @kgo/dynamic) and a typed-client shape.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { type GroupVersionResource, HttpClient, RestClient, type Unstructured } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listerWatcherFor } from '../cache/rest-lister-watcher.ts';
import { type ConfigMap, configMap, createConfigMap, createNamespace, deleteNamespace } from '../test/fixtures.ts';
import { type DynamicClientLike, newFilteredDynamicSharedInformerFactory } from './dynamic-informer-factory.ts';
import { SharedInformerFactory } from './shared-informer-factory.ts';

const cluster = testCluster();
const http = new HttpClient(restConfigFor(cluster) as ConstructorParameters<typeof HttpClient>[0]);
const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
const namespace = uniqueNamespace('kgo-factory');
const configMaps: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
const secrets: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };

/** The DynamicClient's shape: resource(gvr).namespace(ns) with list and watch. */
const dynamicLike: DynamicClientLike = {
  resource: (gvr) => ({
    namespace: (ns) => listerWatcherFor<Unstructured>(new RestClient(http, { groupVersion: gvr }), gvr.resource, { namespace: ns }),
  }),
};

beforeAll(async () => {
  await createNamespace(core, namespace);
  await createConfigMap(core, namespace, configMap('labelled', { team: 'a' }));
  await createConfigMap(core, namespace, configMap('plain'));
});

afterAll(async () => {
  await deleteNamespace(core, namespace);
  await http.close();
});

describe('SharedInformerFactory', () => {
  it('shares one informer per resource, namespace and tweak', async () => {
    const made: string[] = [];
    const factory = new SharedInformerFactory((gvr, ns) => {
      made.push(`${gvr.resource}|${ns}`);
      return listerWatcherFor(new RestClient(http, { groupVersion: gvr }), gvr.resource, { namespace: ns });
    }, { namespace });
    const a = factory.forResource<ConfigMap>(configMaps);
    const b = factory.forResource<ConfigMap>(configMaps);
    expect(b.informer).toBe(a.informer);
    const tweak = (options: object) => ({ ...options, labelSelector: 'team=a' });
    const tweaked = factory.forResource<ConfigMap>(configMaps, undefined, { tweakListOptions: tweak });
    expect(tweaked.informer).not.toBe(a.informer);
    expect(factory.forResource<ConfigMap>(configMaps, undefined, { tweakListOptions: tweak }).informer).toBe(tweaked.informer);
    const elsewhere = factory.forResource<ConfigMap>(configMaps, undefined, { namespace: 'kube-system' });
    expect(elsewhere.informer).not.toBe(a.informer);
    factory.forResource(secrets);
    expect(made).toEqual([`configmaps|${namespace}`, `configmaps|${namespace}`, 'configmaps|kube-system', `secrets|${namespace}`]);

    factory.start();
    const synced = await factory.waitForCacheSync(AbortSignal.timeout(20_000));
    expect([...synced.values()]).toEqual([true, true, true, true]);
    expect(a.lister.byNamespace(namespace).list().map((cm) => cm.metadata?.name).sort()).toEqual(['labelled', 'plain']);
    expect(tweaked.lister.list().map((cm) => cm.metadata?.name)).toEqual(['labelled']);
    expect(a.informer.isStarted()).toBe(true);

    // Asked for after start: made now, started by the next start().
    const late = factory.forResource(configMaps, undefined, { namespace: 'default' });
    expect(late.informer.isStarted()).toBe(false);
    factory.start();
    expect(late.informer.isStarted()).toBe(true);

    await factory.shutdown();
    expect(a.informer.isStopped()).toBe(true);
    expect(late.informer.isStopped()).toBe(true);
    expect(() => factory.forResource(configMaps, undefined, { namespace: 'new' })).toThrow('has been shut down');
  });

  it("adds each caller's indexes to the shared informer once", async () => {
    const factory = new SharedInformerFactory((gvr, ns) => listerWatcherFor(new RestClient(http, { groupVersion: gvr }), gvr.resource, { namespace: ns }), { namespace });
    const byTeam = (cm: ConfigMap) => [cm.metadata?.labels?.team ?? 'none'];
    const first = factory.forResource<ConfigMap>(configMaps, undefined, { indexers: { byTeam } });
    factory.forResource<ConfigMap>(configMaps, undefined, { indexers: { byTeam } });
    expect(() => factory.forResource<ConfigMap>(configMaps, undefined, { indexers: { byTeam: () => [] } })).toThrow('indexer conflict');
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(20_000));
    expect(first.informer.getIndexer().byIndex('byTeam', 'a').map((cm) => cm.metadata?.name)).toEqual(['labelled']);
    await factory.shutdown();
  });

  it('takes a ListerWatcher per resource, as typed clients give one (clientSet.coreV1().configMaps(ns))', async () => {
    const factory = new SharedInformerFactory(undefined, { namespace });
    const typedLike = (ns: string) => listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace: ns });
    const { informer, lister } = factory.forResource(configMaps, typedLike);
    expect(() => factory.forResource(secrets)).toThrow('no ListerWatcher for secrets/v1');
    const stop = new AbortController();
    factory.start(stop.signal);
    expect(await informer.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    expect(lister.byNamespace(namespace).get('plain')?.metadata?.name).toBe('plain');
    stop.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(informer.isStopped()).toBe(true);
  });

  it("newFilteredDynamicSharedInformerFactory(client, 0, namespace, tweak): the seed's dynamic informers", async () => {
    const factory = newFilteredDynamicSharedInformerFactory(dynamicLike, 0, namespace, (options) => {
      options.labelSelector = 'team';
    });
    const { lister } = factory.forResource<Unstructured>(configMaps);
    factory.start();
    expect([...(await factory.waitForCacheSync(AbortSignal.timeout(20_000))).values()]).toEqual([true]);
    expect(lister.list().map((obj) => obj.metadata?.name)).toEqual(['labelled']);
    await createConfigMap(core, namespace, configMap('labelled-later', { team: 'b' }));
    await createConfigMap(core, namespace, configMap('plain-later'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lister.list().map((obj) => obj.metadata?.name).sort()).toEqual(['labelled', 'labelled-later']);
    await factory.shutdown();
  });
});

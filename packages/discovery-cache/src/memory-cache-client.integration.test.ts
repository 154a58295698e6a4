import { DiscoveryClient } from '@kgo/discovery';
import { testCluster } from '@kgo/envtest/vitest';
import { type RestConfig, StatusError } from '@kgo/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CountingProxy, isDiscoveryPath } from './test/counting-proxy.ts';
import { CacheNotFoundError } from './errors/cache-not-found-error.ts';
import { MemoryCacheClient } from './memory-cache-client.ts';

/* The memory cache over the real DiscoveryClient and kube-apiserver; requests counted at a proxy. */

let proxy: CountingProxy;
let config: RestConfig;

beforeAll(async () => {
  proxy = await CountingProxy.start(testCluster());
  // No retries: an injected fault is seen once, as the cache's first answer.
  config = { host: proxy.url, tls: { caData: proxy.caCert }, qps: -1, maxRetries: 0 };
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => proxy.reset());

const discoveryRequests = () => proxy.made().filter((r) => isDiscoveryPath(r.path));
const paths = () => discoveryRequests().map((r) => r.path);
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('MemoryCacheClient on a server with aggregated discovery', () => {
  it('one round of two requests fills everything; later calls make none and equal the uncached answers', async () => {
    const live = new DiscoveryClient(config);
    const expected = await live.serverGroupsAndResources();
    const expectedPreferred = await live.serverPreferredResources();
    proxy.reset();

    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    expect(cache.fresh()).toBe(false);
    expect(await cache.serverGroupsAndResources()).toEqual(expected);
    expect(paths().sort()).toEqual(['/api', '/apis']);
    expect(cache.fresh()).toBe(true);

    proxy.reset();
    expect(await cache.serverPreferredResources()).toEqual(expectedPreferred);
    expect((await cache.serverResourcesForGroupVersion('apps/v1')).resources.map((r) => r.name)).toContain('deployments');
    expect((await cache.serverGroups()).groups[0]?.name).toBe('');
    await cache.serverPreferredNamespacedResources();
    await cache.groupsAndMaybeResources();
    expect(discoveryRequests()).toEqual([]);
  });

  it('concurrent callers share one in-flight round', async () => {
    proxy.delayMs = 150;
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => cache.serverGroups()),
      cache.serverResourcesForGroupVersion('v1'),
      cache.serverPreferredResources(),
    ]);
    expect(results).toHaveLength(10);
    expect(paths().sort()).toEqual(['/api', '/apis']);
  });

  it('invalidate() forgets: the next call runs a new round', async () => {
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    await cache.serverGroups();
    cache.invalidate();
    expect(cache.fresh()).toBe(false);
    await cache.serverGroups();
    expect(paths().sort()).toEqual(['/api', '/api', '/apis', '/apis']);
  });

  it('a round started before invalidate() does not fill the cache after it', async () => {
    proxy.delayMs = 150;
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const before = cache.serverGroups();
    await new Promise((resolve) => setTimeout(resolve, 20));
    cache.invalidate();
    await before;
    expect(cache.fresh()).toBe(false);
    proxy.delayMs = 0;
    await cache.serverGroups();
    expect(paths()).toHaveLength(4);
  });

  it('a group-version the round did not list is CacheNotFoundError, without asking the server', async () => {
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    await cache.serverGroups();
    proxy.reset();
    const error = await errorOf(cache.serverResourcesForGroupVersion('nothing.example.com/v1'));
    expect(CacheNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('nothing.example.com/v1');
    expect(discoveryRequests()).toEqual([]);
  });

  it('a failed round is not kept: the next call asks again', async () => {
    proxy.fault = (path) => (path === '/apis' ? 503 : undefined);
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const error = await errorOf(cache.serverGroups());
    expect(StatusError.isInstance(error) && error.code).toBe(503);
    expect(cache.fresh()).toBe(false);
    proxy.fault = undefined;
    expect((await cache.serverGroups()).groups.length).toBeGreaterThan(5);
    expect(paths().filter((p) => p.startsWith('/apis'))).toHaveLength(2);
  });

  it("one caller's abort stops its own wait, not the shared round", async () => {
    proxy.delayMs = 200;
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const controller = new AbortController();
    const aborted = errorOf(cache.serverGroups({ signal: controller.signal }));
    const other = cache.serverGroups();
    controller.abort(new Error('caller gave up'));
    expect(((await aborted) as Error).message).toBe('caller gave up');
    expect((await other).groups.length).toBeGreaterThan(5);
    expect(cache.fresh()).toBe(true);
  });
});

describe('MemoryCacheClient on a server without aggregated discovery (legacy documents)', () => {
  it('the round reads every group-version once; later calls make no request', async () => {
    proxy.legacyOnly = true;
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const { resources } = await cache.serverGroupsAndResources();
    const perGroupVersion = paths().filter((p) => p !== '/api' && p !== '/apis');
    expect(perGroupVersion.length).toBe(resources.length);
    expect(perGroupVersion).toContain('/apis/apps/v1');
    proxy.reset();
    proxy.legacyOnly = true;
    await cache.serverPreferredResources();
    await cache.serverResourcesForGroupVersion('apps/v1');
    expect(discoveryRequests()).toEqual([]);
  });

  it.each([
    ['503', 503 as const],
    ['429', 429 as const],
    ['a connection reset', 'reset' as const],
  ])('a group-version that failed with %s is read again on its next access', async (_what, fault) => {
    proxy.legacyOnly = true;
    proxy.fault = (path) => (path === '/apis/apps/v1' ? fault : undefined);
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    expect(await errorOf(cache.serverResourcesForGroupVersion('apps/v1'))).toBeInstanceOf(Error);
    // Still failing: asked again, still an error.
    expect(await errorOf(cache.serverResourcesForGroupVersion('apps/v1'))).toBeInstanceOf(Error);
    proxy.fault = undefined;
    expect((await cache.serverResourcesForGroupVersion('apps/v1')).resources.map((r) => r.name)).toContain('deployments');
    // Healed: kept from now on. The round, then one request per access until it healed.
    await cache.serverResourcesForGroupVersion('apps/v1');
    await cache.serverGroupsAndResources();
    expect(paths().filter((p) => p === '/apis/apps/v1')).toHaveLength(4);
  });

  it('a group-version that failed otherwise (404) is kept until invalidate()', async () => {
    proxy.legacyOnly = true;
    proxy.fault = (path) => (path === '/apis/batch/v1' ? 404 : undefined);
    const cache = new MemoryCacheClient(new DiscoveryClient(config));
    const error = await errorOf(cache.serverGroupsAndResources());
    expect((error as Error).message).toMatch(/^unable to retrieve the complete list of server APIs: batch\/v1: /);
    proxy.fault = undefined;
    expect(StatusError.isInstance(await errorOf(cache.serverResourcesForGroupVersion('batch/v1')))).toBe(true);
    expect(paths().filter((p) => p === '/apis/batch/v1')).toHaveLength(1);
    cache.invalidate();
    expect((await cache.serverResourcesForGroupVersion('batch/v1')).resources.map((r) => r.name)).toContain('jobs');
  });
});

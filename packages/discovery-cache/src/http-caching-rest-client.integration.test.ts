import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCluster } from '@kgo/envtest/vitest';
import type { RestConfig } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCachedDiscoveryClientForConfig } from './cached-discovery-client-for-config.ts';
import { CountingProxy } from './test/counting-proxy.ts';
import { HttpCache } from './http-cache.ts';
import { HttpCachingRestClient } from './http-caching-rest-client.ts';

/* The HTTP cache against the real kube-apiserver, counted at a proxy in front of it. */

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

let proxy: CountingProxy;
let config: RestConfig;
let dir: string;

beforeAll(async () => {
  proxy = await CountingProxy.start(testCluster());
  config = { host: proxy.url, tls: { caData: proxy.caCert }, qps: -1 };
  dir = await mkdtemp(join(tmpdir(), 'kgo-http-cache-it-'));
});
afterAll(async () => {
  await proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HttpCachingRestClient', () => {
  it('revalidates aggregated discovery with If-None-Match: the second GET is a 304 answered from the file', async () => {
    proxy.reset();
    const cache = new HttpCache(join(dir, 'aggregated'));
    const first = await new HttpCachingRestClient(config, cache).get().absPath('/apis').setHeader('accept', AGGREGATED).do();
    expect(first.statusCode).toBe(200);
    expect(first.headers.get('etag')).toBeTruthy();
    // A new client (a new process, in effect): only the folder carries over.
    const second = await new HttpCachingRestClient(config, new HttpCache(join(dir, 'aggregated'))).get().absPath('/apis').setHeader('accept', AGGREGATED).do();
    expect(second.headers.get('x-from-cache')).toBe('1');
    expect(second.contentType).toBe(first.contentType);
    expect(second.into()).toEqual(first.into());
    expect(proxy.made().map((r) => [r.path, r.status, r.ifNoneMatch === first.headers.get('etag')])).toEqual([
      ['/apis', 200, false],
      ['/apis', 304, true],
    ]);
  });

  it('keeps one entry per Accept header (the server varies on Accept)', async () => {
    proxy.reset();
    const cache = new HttpCache(join(dir, 'vary'));
    const client = new HttpCachingRestClient(config, cache);
    await client.get().absPath('/apis').setHeader('accept', AGGREGATED).do();
    const legacy = (await client.get().absPath('/apis').do()).into<{ kind: string }>();
    expect(legacy.kind).toBe('APIGroupList');
    const aggregated = (await client.get().absPath('/apis').setHeader('Accept', AGGREGATED).do()).into<{ kind: string }>();
    expect(aggregated.kind).toBe('APIGroupDiscoveryList');
    expect(proxy.made().map((r) => r.status)).toEqual([200, 200, 304]);
  });

  it('passes responses without an ETag through unstored (legacy discovery, /version)', async () => {
    proxy.reset();
    const cache = new HttpCache(join(dir, 'legacy'));
    const client = new HttpCachingRestClient(config, cache);
    for (let i = 0; i < 2; i++) {
      await client.get().absPath('/apis/apps/v1').do();
      await client.get().absPath('/version').do();
    }
    expect(proxy.made().map((r) => [r.path, r.status, r.ifNoneMatch])).toEqual([
      ['/apis/apps/v1', 200, undefined],
      ['/version', 200, undefined],
      ['/apis/apps/v1', 200, undefined],
      ['/version', 200, undefined],
    ]);
    await expect(readdir(join(dir, 'legacy'))).rejects.toThrow();
  });

  it('revalidates an OpenAPI v3 document fetched by its hashed URL', async () => {
    proxy.reset();
    const client = new HttpCachingRestClient(config, new HttpCache(join(dir, 'openapi')));
    const index = (await client.get().absPath('/openapi/v3').do()).into<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const url = index.paths['apis/apps/v1']?.serverRelativeURL;
    expect(url).toMatch(/\?hash=/);
    const [path, query] = (url as string).split('?') as [string, string];
    const get = () => client.get().absPath(path).param('hash', new URLSearchParams(query).get('hash') as string).do();
    const first = (await get()).into<{ openapi: string }>();
    const second = await get();
    expect(second.headers.get('x-from-cache')).toBe('1');
    expect(second.into()).toEqual(first);
    expect(proxy.made().filter((r) => r.path === '/openapi/v3/apis/apps/v1').map((r) => r.status)).toEqual([200, 304]);
  });

  it("serves DiscoveryClient's OpenAPI v3 documents through newCachedDiscoveryClientForConfig: 304 the second time", async () => {
    proxy.reset();
    const options = { discoveryDir: join(dir, 'openapi-discovery'), httpCacheDir: join(dir, 'openapi-http') };
    const read = async () => (await newCachedDiscoveryClientForConfig(config, options).openAPIV3().paths()).get('apis/apps/v1')?.schema();
    const first = await read();
    expect(first?.openapi).toMatch(/^3\./);
    expect(await read()).toEqual(first);
    expect(proxy.made().filter((r) => r.path === '/openapi/v3/apis/apps/v1').map((r) => r.status)).toEqual([200, 304]);
  });

  it('leaves other verbs alone', async () => {
    proxy.reset();
    const client = new HttpCachingRestClient(config, new HttpCache(join(dir, 'verbs')));
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    for (let i = 0; i < 2; i++) await client.post().absPath('/apis/authentication.k8s.io/v1/selfsubjectreviews').body(review).do();
    expect(proxy.made().map((r) => [r.method, r.status, r.ifNoneMatch])).toEqual([
      ['POST', 201, undefined],
      ['POST', 201, undefined],
    ]);
  });
});

import { DiscoveryClient, discoveryConfig } from '@kgo/discovery';
import { RestClient, type RestConfig } from '@kgo/rest';
import { discoveryCacheDir, httpCacheDir } from './cache-paths.ts';
import { DiskCacheClient } from './disk-cache-client.ts';
import { HttpCache } from './http-cache.ts';
import { HttpCachingRestClient } from './http-caching-rest-client.ts';
import { MemoryCacheClient } from './memory-cache-client.ts';

/** Options of {@link newCachedDiscoveryClientForConfig}; every default is kubectl's. */
export interface CachedDiscoveryClientOptions {
  /** The discovery files' folder. Default: kubectl's for this server, `discoveryCacheDir(config.host)`. */
  discoveryDir?: string | undefined;
  /** The HTTP cache folder, or `false` for none. Default: kubectl's, `httpCacheDir()` (`~/.kube/cache/http`). */
  httpCacheDir?: string | false | undefined;
  /** How long the discovery files are used. Default 6 hours (kubectl). */
  ttlMs?: number | undefined;
}

/**
 * client-go's `disk.NewCachedDiscoveryClientForConfig(config, discoveryDir, httpCacheDir, ttl)`
 * in one call: a {@link DiskCacheClient} over a {@link MemoryCacheClient} over a DiscoveryClient
 * (client-go's discovery defaults: burst 300, 32 s timeout) whose requests go through the HTTP
 * cache. A warm disk cache answers with no request; an expired one costs two 304s on a server
 * with aggregated discovery.
 *
 * @example
 * ```ts
 * // Go: disk.NewCachedDiscoveryClientForConfig(config, "./cache/discovery", "./cache/http", time.Hour)
 * const discovery = newCachedDiscoveryClientForConfig(config, { discoveryDir: './cache/discovery', httpCacheDir: './cache/http', ttlMs: 3_600_000 });
 * const { groups, resources } = await discovery.serverGroupsAndResources();
 * ```
 */
export function newCachedDiscoveryClientForConfig(config: RestConfig, options: CachedDiscoveryClientOptions = {}): DiskCacheClient {
  const httpDir = options.httpCacheDir ?? httpCacheDir();
  const restConfig = discoveryConfig(config);
  const restClient = httpDir === false ? new RestClient(restConfig) : new HttpCachingRestClient(restConfig, new HttpCache(httpDir));
  return new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(restClient)), {
    directory: options.discoveryDir ?? discoveryCacheDir(config.host),
    ttlMs: options.ttlMs,
  });
}

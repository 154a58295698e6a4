export { DEFAULT_DISK_CACHE_TTL_MS, DiskCacheClient, type DiskCacheOptions } from './disk-cache-client.ts';
export { MemoryCacheClient, type MemoryCacheOptions } from './memory-cache-client.ts';
export { type CachedResponse, HttpCache } from './http-cache.ts';
export { CachingHttpClient, HttpCachingRestClient } from './http-caching-rest-client.ts';
export { CacheNotFoundError } from './errors/cache-not-found-error.ts';
export { isTransientError } from './transient-error.ts';
export { defaultCacheDir, discoveryCacheDir, httpCacheDir, resourcesFileFor, serverGroupsFile, serverResourcesFile } from './cache-paths.ts';
export { type CachedDiscoveryClientOptions, newCachedDiscoveryClientForConfig } from './cached-discovery-client-for-config.ts';

export { defaultCacheDir, discoveryCacheDir, serverGroupsFile, serverResourcesFile } from './cache-paths.ts';

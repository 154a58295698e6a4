import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * kubectl's cache folder: `$KUBECACHEDIR`, else `~/.kube/cache` (cli-runtime `config_flags.go`).
 * kgo reads and writes the same files, so kubectl and kgo share their discovery cache.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return env.KUBECACHEDIR || join(home, '.kube', 'cache');
}

/**
 * The discovery cache folder for one server, as kubectl names it: the server URL without its
 * scheme, every character outside `[A-Za-z0-9_/.]` replaced by `_`
 * (`https://1.2.3.4:6443` → `<cacheDir>/discovery/1.2.3.4_6443`).
 */
export function discoveryCacheDir(server: string, cacheDir: string = defaultCacheDir()): string {
  const host = server.replace(/^https?:\/\//, '').replace(/[^\w/.]/g, '_');
  return join(cacheDir, 'discovery', host);
}

/**
 * The file holding one group-version's resource list: `<group>/<version>/serverresources.json`,
 * the core group as `v1/serverresources.json`.
 */
export function serverResourcesFile(discoveryDir: string, group: string, version: string): string {
  return group === '' ? join(discoveryDir, version, 'serverresources.json') : join(discoveryDir, group, version, 'serverresources.json');
}

/** The file holding the group list: `servergroups.json`. */
export function serverGroupsFile(discoveryDir: string): string {
  return join(discoveryDir, 'servergroups.json');
}

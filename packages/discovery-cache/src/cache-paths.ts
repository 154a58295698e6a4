import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * kubectl's cache folder: `$KUBECACHEDIR`, else `~/.kube/cache` (cli-runtime `config_flags.go`).
 * kgo reads and writes the same files, so kubectl and kgo share their discovery cache.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return env.KUBECACHEDIR || join(home, '.kube', 'cache');
}

// cli-runtime's `overlyCautiousIllegalFileCharacters`, `[^(\w/.)]`: parentheses are kept too.
const ILLEGAL_FILE_CHARACTERS = /[^(\w/.)]/g;

/**
 * The discovery cache folder for one server, as kubectl names it (`computeDiscoverCacheDir`): the
 * server URL without its scheme, every character outside `[A-Za-z0-9_/.()]` replaced by `_`
 * (`https://1.2.3.4:6443` → `<cacheDir>/discovery/1.2.3.4_6443`).
 */
export function discoveryCacheDir(server: string, cacheDir: string = defaultCacheDir()): string {
  // Go's strings.Replace(host, "https://", "", 1): the first occurrence, wherever it is.
  const host = server.replace('https://', '').replace('http://', '').replace(ILLEGAL_FILE_CHARACTERS, '_');
  return join(cacheDir, 'discovery', host);
}

/** kubectl's HTTP cache folder beside the discovery cache: `<cacheDir>/http`. */
export function httpCacheDir(cacheDir: string = defaultCacheDir()): string {
  return join(cacheDir, 'http');
}

/**
 * The file holding one group-version's resource list: `<group>/<version>/serverresources.json`,
 * the core group as `v1/serverresources.json`. Names are not checked here: see
 * {@link resourcesFileFor} for names that come from a server.
 */
export function serverResourcesFile(discoveryDir: string, group: string, version: string): string {
  return group === '' ? join(discoveryDir, version, 'serverresources.json') : join(discoveryDir, group, version, 'serverresources.json');
}

/** The file holding the group list: `servergroups.json`. */
export function serverGroupsFile(discoveryDir: string): string {
  return join(discoveryDir, 'servergroups.json');
}

// A DNS-1123 subdomain (what API group names are: CRDs and APIServices are validated so).
const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// A DNS-1123 label (what versions are: v1, v1beta1, v2alpha3).
const VERSION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The resources file of a group-version string (`v1`, `apps/v1`), or `undefined` when the name
 * could not be a Kubernetes group-version: anything but a DNS subdomain group and a DNS label
 * version (`..`, `/`, `\`, upper case, empty parts) never becomes a path, so no name a server
 * sends can reach outside the cache folder.
 */
export function resourcesFileFor(discoveryDir: string, groupVersion: string): string | undefined {
  const slash = groupVersion.indexOf('/');
  const group = slash === -1 ? '' : groupVersion.slice(0, slash);
  const version = slash === -1 ? groupVersion : groupVersion.slice(slash + 1);
  if (slash !== -1 && (group.length > 253 || !GROUP.test(group))) return undefined;
  if (version.length > 63 || !VERSION.test(version)) return undefined;
  return serverResourcesFile(discoveryDir, group, version);
}

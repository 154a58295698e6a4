import { type APIGroupList, type APIResourceList, type DiscoveryInterface, type DiscoveryOptions, type GroupsAndMaybeResources } from '@kgo/discovery';
import { CachedDiscovery } from './cached-discovery.ts';
import { decodeGroupList, decodeResourceList, encodeGroupList, encodeResourceList } from './cache-documents.ts';
import { readFreshFile, writeFileAtomic } from './cache-file.ts';
import { resourcesFileFor, serverGroupsFile } from './cache-paths.ts';

/** kubectl's discovery cache lifetime: 6 hours (cli-runtime `ToDiscoveryClient`). */
export const DEFAULT_DISK_CACHE_TTL_MS = 6 * 60 * 60 * 1000;

/** Options of {@link DiskCacheClient}. */
export interface DiskCacheOptions {
  /**
   * This server's discovery folder. kubectl's is `discoveryCacheDir(config.host)`
   * (`~/.kube/cache/discovery/<host>`); any folder works, one per server.
   */
  directory: string;
  /** How long a file is used after it was written, judged by its modification time. Default {@link DEFAULT_DISK_CACHE_TTL_MS}. */
  ttlMs?: number | undefined;
}

/**
 * Discovery cached on disk in kubectl's format (client-go `discovery/cached/disk`), so kgo and
 * kubectl share one cache: `servergroups.json` and `<group>/<version>/serverresources.json`
 * (core: `v1/serverresources.json`), each used while younger than the TTL (by modification
 * time), written atomically (temporary file, then rename) with kubectl's modes (folders 0750,
 * files 0660). Empty and failed results are not written.
 *
 * A missing, expired, truncated, corrupt or foreign file is a miss, and the delegate is asked — a
 * {@link MemoryCacheClient} over a DiscoveryClient, so that one discovery round fills every file.
 * Group-version names that are not DNS names (`../x`) are never used as paths: they go to the
 * delegate uncached.
 *
 * `fresh()` turns false once anything was served from a file this client did not write in this
 * process; `invalidate()` ignores every file it did not write since, and invalidates the delegate.
 *
 * @example
 * ```ts
 * const discovery = new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(config)), {
 *   directory: discoveryCacheDir(config.host),
 * });
 * const { resources } = await discovery.serverGroupsAndResources(); // no request while the files are fresh
 * ```
 */
export class DiskCacheClient extends CachedDiscovery {
  readonly #directory: string;
  readonly #ttlMs: number;
  /** Files this client wrote (since the last invalidate). */
  #ourFiles = new Set<string>();
  #invalidated = false;
  #fresh = true;

  constructor(delegate: DiscoveryInterface, options: DiskCacheOptions) {
    super(delegate);
    this.#directory = options.directory;
    this.#ttlMs = options.ttlMs ?? DEFAULT_DISK_CACHE_TTL_MS;
  }

  /** The folder this client reads and writes. */
  get directory(): string {
    return this.#directory;
  }

  #read<T>(path: string, decode: (bytes: Uint8Array) => T | undefined): T | undefined {
    const ours = this.#ourFiles.has(path);
    if (this.#invalidated && !ours) return undefined;
    const bytes = readFreshFile(path, this.#ttlMs);
    const value = bytes && decode(bytes);
    if (value === undefined) return undefined;
    this.#fresh &&= ours;
    return value;
  }

  async #write(path: string, bytes: Uint8Array): Promise<void> {
    try {
      await writeFileAtomic(path, bytes);
      this.#ourFiles.add(path);
    } catch {
      // A cache that cannot be written (read-only home, full disk) only makes the next start slower.
    }
  }


  /**
   * Every API group, core first: `servergroups.json` while fresh, else one round of the delegate
   * whose lists are all written too (see {@link DiskCacheClient.groupsAndMaybeResources}).
   */
  async serverGroups(options?: DiscoveryOptions): Promise<APIGroupList> {
    return (await this.groupsAndMaybeResources(options)).groups;
  }

  /** One group-version's resources: its `serverresources.json` while fresh, else the delegate's (then written). */
  async serverResourcesForGroupVersion(groupVersion: string, options?: DiscoveryOptions): Promise<APIResourceList> {
    const path = resourcesFileFor(this.#directory, groupVersion);
    if (path) {
      const cached = this.#read(path, (bytes) => decodeResourceList(bytes, groupVersion));
      if (cached) return cached;
    }
    const live = await this.delegate.serverResourcesForGroupVersion(groupVersion, options);
    if (path && live.resources.length > 0) await this.#write(path, encodeResourceList(live));
    return live;
  }




  /**
   * With a fresh `servergroups.json`: the groups, resources left to be read file by file
   * (`resources` undefined). Otherwise one round of the delegate, every list written (the group
   * list last, so a reader that finds it finds the lists too).
   */
  async groupsAndMaybeResources(options?: DiscoveryOptions): Promise<GroupsAndMaybeResources> {
    const groupsPath = serverGroupsFile(this.#directory);
    const cached = this.#read(groupsPath, decodeGroupList);
    if (cached) return { groups: cached, resources: undefined, failed: new Map() };
    const live = await this.delegate.groupsAndMaybeResources(options);
    if (live.resources) {
      await Promise.all(
        [...live.resources].map(([gv, list]) => {
          const path = resourcesFileFor(this.#directory, gv);
          return path && list.resources.length > 0 ? this.#write(path, encodeResourceList(list)) : undefined;
        }),
      );
    }
    if (live.groups.groups.length > 0) await this.#write(groupsPath, encodeGroupList(live.groups));
    return live;
  }


  /** False once anything was served from a file this client did not write (client-go `Fresh`). */
  fresh(): boolean {
    return this.#fresh;
  }

  /** From now on, use only files this client writes; invalidates the delegate too. */
  invalidate(): void {
    this.#ourFiles = new Set();
    this.#fresh = true;
    this.#invalidated = true;
    this.delegate.invalidate();
  }
}

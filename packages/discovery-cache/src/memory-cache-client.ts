import { type APIGroupList, type APIResourceList, discoverAll, type DiscoveryInterface, type DiscoveryOptions, type GroupsAndMaybeResources } from '@kgo/discovery';
import { CachedDiscovery } from './cached-discovery.ts';
import { abortable } from './abortable.ts';
import { CacheNotFoundError } from './errors/cache-not-found-error.ts';
import { isTransientError } from './transient-error.ts';

/** One group-version in the cache: its list, or why it could not be read. */
type Entry = { list: APIResourceList; error?: undefined } | { list?: undefined; error: Error };

/** One discovery round as the cache keeps it. */
interface Snapshot {
  groups: APIGroupList;
  entries: Map<string, Entry>;
  /** Transient failures being read again, so concurrent callers share one request per group-version. */
  retrying: Map<string, Promise<Entry>>;
}

/** Options of {@link MemoryCacheClient}. */
export interface MemoryCacheOptions {
  /** Group-versions read at once from a server without aggregated discovery (default: @kgo/discovery's walk default, 16). */
  concurrency?: number | undefined;
}

/**
 * Discovery cached in memory (client-go `discovery/cached/memory`). The first call runs one
 * discovery round — `groupsAndMaybeResources` on the delegate, so a server with aggregated
 * discovery answers everything in two requests, a legacy one in two plus one per group-version —
 * and every later call is answered from it until {@link MemoryCacheClient.invalidate}.
 *
 * - Concurrent callers share one in-flight round; a caller's `signal` only stops its own wait.
 * - A round that fails is not kept: the next call tries again.
 * - A group-version that failed transiently (connection refused or reset, 5xx, 429) is read again
 *   on its next access; other failures (a stale aggregated API) are kept until `invalidate()`.
 * - A group-version the round did not list throws {@link CacheNotFoundError}; the server is not asked.
 *
 * @example
 * ```ts
 * const discovery = new MemoryCacheClient(new DiscoveryClient(config));
 * const lists = await discovery.serverPreferredResources(); // one round
 * await discovery.serverResourcesForGroupVersion('apps/v1'); // no request
 * discovery.invalidate();                                    // next call reads again
 * ```
 */
export class MemoryCacheClient extends CachedDiscovery {
  readonly #concurrency: number | undefined;
  #snapshot: Snapshot | undefined;
  #refreshing: Promise<Snapshot> | undefined;
  // Bumped by invalidate(), so a round started before it does not fill the cache after it.
  #generation = 0;

  constructor(delegate: DiscoveryInterface, options: MemoryCacheOptions = {}) {
    super(delegate);
    this.#concurrency = options.concurrency;
  }

  #current(options: DiscoveryOptions): Promise<Snapshot> {
    if (this.#snapshot) return Promise.resolve(this.#snapshot);
    this.#refreshing ??= this.#refresh();
    return abortable(this.#refreshing, options.signal);
  }

  async #refresh(): Promise<Snapshot> {
    const generation = this.#generation;
    try {
      // No caller's signal: the round is shared by every caller waiting for it.
      const walk = await discoverAll(this.delegate, { concurrency: this.#concurrency });
      const entries = new Map<string, Entry>();
      for (const [gv, list] of walk.byGroupVersion) entries.set(gv, { list });
      for (const [gv, error] of walk.failed) entries.set(gv, { error });
      const snapshot: Snapshot = { groups: { kind: 'APIGroupList', apiVersion: 'v1', groups: walk.groups }, entries, retrying: new Map() };
      // client-go keeps no round without groups: the next call asks again.
      if (generation === this.#generation && walk.groups.length > 0) this.#snapshot = snapshot;
      return snapshot;
    } finally {
      if (generation === this.#generation) this.#refreshing = undefined;
    }
  }

  /** The entry for `gv`, read again first when it holds a transient failure. */
  async #entry(snapshot: Snapshot, gv: string, options: DiscoveryOptions): Promise<Entry | undefined> {
    const entry = snapshot.entries.get(gv);
    if (!entry?.error || !isTransientError(entry.error)) return entry;
    let retry = snapshot.retrying.get(gv);
    if (!retry) {
      retry = this.delegate.serverResourcesForGroupVersion(gv).then(
        (list): Entry => ({ list }),
        (error: unknown): Entry => ({ error: error instanceof Error ? error : new Error(String(error)) }),
      );
      snapshot.retrying.set(gv, retry);
      void retry.then((fresh) => {
        snapshot.retrying.delete(gv);
        snapshot.entries.set(gv, fresh);
      });
    }
    return abortable(retry, options.signal);
  }


  /** Every API group, core first, from the cached round. */
  async serverGroups(options: DiscoveryOptions = {}): Promise<APIGroupList> {
    return (await this.#current(options)).groups;
  }

  /**
   * The cached resources of one group-version. Throws {@link CacheNotFoundError} for a
   * group-version the round did not list, and the group-version's own error when it failed.
   */
  async serverResourcesForGroupVersion(groupVersion: string, options: DiscoveryOptions = {}): Promise<APIResourceList> {
    const entry = await this.#entry(await this.#current(options), groupVersion, options);
    if (!entry) throw new CacheNotFoundError(groupVersion);
    if (entry.error) throw entry.error;
    return entry.list;
  }




  /**
   * The cached round: groups, every group-version's resources (for legacy servers too: the round
   * already read them), and the failed ones — transient failures read again first.
   */
  async groupsAndMaybeResources(options: DiscoveryOptions = {}): Promise<GroupsAndMaybeResources> {
    const snapshot = await this.#current(options);
    const gvs = [...snapshot.entries.keys()];
    const entries = await Promise.all(gvs.map((gv) => this.#entry(snapshot, gv, options)));
    const resources = new Map<string, APIResourceList>();
    const failed = new Map<string, Error>();
    entries.forEach((entry, index) => {
      const gv = gvs[index] as string;
      if (entry?.error) failed.set(gv, entry.error);
      else if (entry) resources.set(gv, entry.list);
    });
    return { groups: snapshot.groups, resources, failed };
  }


  /** True once a discovery round is cached (client-go: the cache is valid). */
  fresh(): boolean {
    return this.#snapshot !== undefined;
  }

  /** Forgets the cached round; the next call runs a new one. */
  invalidate(): void {
    this.#generation++;
    this.#snapshot = undefined;
    this.#refreshing = undefined;
  }
}

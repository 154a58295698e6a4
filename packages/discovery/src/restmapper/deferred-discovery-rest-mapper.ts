import type { DiscoveryInterface, DiscoveryOptions } from '../discovery-interface.ts';
import { GroupDiscoveryFailedError } from '../errors/group-discovery-failed-error.ts';
import { isNoMatchError } from '../errors/predicates.ts';
import { DiscoveryRESTMapper, type DiscoveryRESTMapperOptions } from './discovery-rest-mapper.ts';
import type { RESTMapping } from './rest-mapping.ts';
import type { GroupKind, GroupResource, GroupVersionKind, GroupVersionResource } from '@kgo/rest';

/** The RESTMapper operations, asynchronous because they may read discovery (apimachinery `meta.RESTMapper`). */
export interface RESTMapper {
  /** The one kind a partial resource names (priority decides; ambiguity is an error). */
  kindFor(resource: GroupVersionResource): Promise<GroupVersionKind>;
  /** Every kind a partial resource matches. */
  kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]>;
  /** The one resource a partial resource names (priority decides; ambiguity is an error). */
  resourceFor(resource: GroupVersionResource): Promise<GroupVersionResource>;
  /** Every resource a partial resource matches. */
  resourcesFor(resource: GroupVersionResource): Promise<GroupVersionResource[]>;
  /** How to reach a kind: the resource, the version chosen, the scope. */
  restMapping(groupKind: GroupKind, ...versions: string[]): Promise<RESTMapping>;
  /** Every mapping of a kind (one per version serving it). */
  restMappings(groupKind: GroupKind, ...versions: string[]): Promise<RESTMapping[]>;
  /** The singular of a resource name (`pods` → `pod`). */
  resourceSingularizer(resource: string): Promise<string>;
}

/** Options of {@link DeferredDiscoveryRESTMapper}. */
export interface DeferredDiscoveryRESTMapperOptions extends DiscoveryRESTMapperOptions {
  /**
   * After a re-read, further misses re-read again only once this many milliseconds have passed
   * (bounds the requests a stream of unknown names costs). Default 1000.
   */
  minRereadIntervalMs?: number | undefined;
  /** The clock, in milliseconds (tests pass a fake one). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * A RESTMapper that reads discovery on first use and, when a name or kind is not found, forgets
 * and re-reads discovery once before giving up — so a CRD installed after start is found (client-go
 * `DeferredDiscoveryRESTMapper` + kubectl's shortcut expander). Concurrent callers share one read.
 * A partial discovery failure still builds a mapper from what was read (as client-go does).
 *
 * client-go re-reads only when its cached discovery is not fresh (so never over a plain client);
 * kgo also re-reads when its snapshot is older than `minRereadIntervalMs`, calling `invalidate()`
 * on the discovery client first so caches refetch.
 *
 * @example
 * ```ts
 * const mapper = new DeferredDiscoveryRESTMapper(new DiscoveryClient(config));
 * const { resource, scope } = await mapper.restMapping({ group: 'apps', kind: 'Deployment' });
 * const deploy = await mapper.mappingFor('deploy');
 * ```
 */
export class DeferredDiscoveryRESTMapper implements RESTMapper {
  readonly #discovery: DiscoveryInterface;
  readonly #options: DeferredDiscoveryRESTMapperOptions;
  #delegate: Promise<DiscoveryRESTMapper> | undefined;
  #readAt = 0;

  /** Reads nothing yet: discovery is read on the first lookup. */
  constructor(discovery: DiscoveryInterface, options: DeferredDiscoveryRESTMapperOptions = {}) {
    this.#discovery = discovery;
    this.#options = options;
  }

  /** The mapper over the current discovery snapshot, reading discovery if there is none. */
  delegate(options?: DiscoveryOptions): Promise<DiscoveryRESTMapper> {
    this.#delegate ??= this.#read(options);
    return this.#delegate;
  }

  async #read(options: DiscoveryOptions | undefined): Promise<DiscoveryRESTMapper> {
    try {
      let discovered;
      try {
        discovered = await this.#discovery.serverGroupsAndResources(options);
      } catch (error) {
        if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
        discovered = { groups: error.groups, resources: error.resources };
      }
      this.#readAt = (this.#options.now ?? Date.now)();
      return new DiscoveryRESTMapper(discovered, this.#options);
    } catch (error) {
      // A failed read is not kept: the next call tries again.
      this.#delegate = undefined;
      throw error;
    }
  }

  /** Forgets the snapshot (and invalidates the discovery client's cache); the next call reads discovery again (client-go `Reset`). */
  reset(): void {
    this.#discovery.invalidate();
    this.#delegate = undefined;
  }

  async #withReread<T>(lookup: (mapper: DiscoveryRESTMapper) => T): Promise<T> {
    const current = this.#delegate;
    const mapper = await this.delegate();
    try {
      return lookup(mapper);
    } catch (error) {
      if (!isNoMatchError(error)) throw error;
      // Someone else re-read since this call looked: use that snapshot.
      const latest = this.#delegate;
      if (current !== undefined && latest !== undefined && latest !== current) return lookup(await latest);
      // Fresh data (just read, or read moments ago) would say the same again.
      const justRead = current === undefined || (this.#options.now ?? Date.now)() - this.#readAt < (this.#options.minRereadIntervalMs ?? 1000);
      if (justRead && this.#discovery.fresh()) throw error;
      this.reset();
      return lookup(await this.delegate());
    }
  }

  /** See {@link DiscoveryRESTMapper.kindFor}; re-reads discovery once on a miss. */
  kindFor(resource: GroupVersionResource): Promise<GroupVersionKind> {
    return this.#withReread((m) => m.kindFor(resource));
  }

  /** See {@link DiscoveryRESTMapper.kindsFor}; re-reads discovery once on a miss. */
  kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]> {
    return this.#withReread((m) => m.kindsFor(resource));
  }

  /** See {@link DiscoveryRESTMapper.resourceFor}; re-reads discovery once on a miss. */
  resourceFor(resource: GroupVersionResource): Promise<GroupVersionResource> {
    return this.#withReread((m) => m.resourceFor(resource));
  }

  /** See {@link DiscoveryRESTMapper.resourcesFor}; re-reads discovery once on a miss. */
  resourcesFor(resource: GroupVersionResource): Promise<GroupVersionResource[]> {
    return this.#withReread((m) => m.resourcesFor(resource));
  }

  /** See {@link DiscoveryRESTMapper.restMapping}; re-reads discovery once on a miss. */
  restMapping(groupKind: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    return this.#withReread((m) => m.restMapping(groupKind, ...versions));
  }

  /** See {@link DiscoveryRESTMapper.restMappings}; re-reads discovery once on a miss. */
  restMappings(groupKind: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    return this.#withReread((m) => m.restMappings(groupKind, ...versions));
  }

  /** See {@link DiscoveryRESTMapper.resourceSingularizer}; re-reads discovery once on a miss. */
  resourceSingularizer(resource: string): Promise<string> {
    return this.#withReread((m) => m.resourceSingularizer(resource));
  }

  /** kubectl's reading of a resource-or-kind argument; see {@link DiscoveryRESTMapper.mappingFor}. */
  mappingFor(arg: string): Promise<RESTMapping> {
    return this.#withReread((m) => m.mappingFor(arg));
  }

  /** The group-resources in a category; see {@link DiscoveryRESTMapper.expandCategory}. Not re-read on a miss. */
  async expandCategory(category: string): Promise<GroupResource[] | undefined> {
    return (await this.delegate()).expandCategory(category);
  }
}

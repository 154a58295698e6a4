import type { APIGroup, APIGroupList } from './model/api-group.ts';
import type { APIResourceList } from './model/api-resource.ts';
import type { OpenAPIV3Client } from './model/openapi-v3.ts';
import type { VersionInfo } from './model/version-info.ts';

/** Options every discovery call takes. */
export interface DiscoveryOptions {
  /** Aborts the call (and the requests it makes). */
  signal?: AbortSignal | undefined;
}

/** Groups and the resources of each group-version (the result of `serverGroupsAndResources`). */
export interface GroupsAndResources {
  /** Every group, core first, in the server's order. */
  groups: APIGroup[];
  /** One list per group-version that was read, in group order and each group's version order. */
  resources: APIResourceList[];
}

/**
 * One round of discovery as a client fetched it (client-go `GroupsAndMaybeResources`): the groups,
 * and — when the server offers aggregated discovery — every group-version's resources.
 */
export interface GroupsAndMaybeResources {
  /** Every group (core first). Stale group-versions are left out of each group's versions. */
  groups: APIGroupList;
  /**
   * Resources keyed by group-version (`v1`, `apps/v1`) when the server sent them (aggregated
   * discovery); `undefined` for a legacy server, whose group-versions must be read one by one.
   */
  resources: Map<string, APIResourceList> | undefined;
  /** Group-versions the server reported as `Stale` (an aggregated API server it could not reach), with the error. */
  failed: Map<string, Error>;
}

/**
 * What every discovery client offers — DiscoveryClient, and the memory/disk caches of
 * @kgo/discovery-cache (client-go's `DiscoveryInterface` + `CachedDiscoveryInterface`). Code that
 * takes a `DiscoveryInterface` works with any of them.
 *
 * @example
 * ```ts
 * async function kinds(discovery: DiscoveryInterface): Promise<string[]> {
 *   const lists = await discovery.serverPreferredResources();
 *   return lists.flatMap((list) => list.resources.map((r) => r.kind));
 * }
 * ```
 */
export interface DiscoveryInterface {
  /** The server's build information (`/version`). */
  serverVersion(options?: DiscoveryOptions): Promise<VersionInfo>;
  /** Every API group, the core group (name `''`) first. */
  serverGroups(options?: DiscoveryOptions): Promise<APIGroupList>;
  /**
   * The resources of one group-version (`v1`, `apps/v1`). A group-version the server does not
   * serve is an error (StatusError NotFound), except core `v1`, which is empty then (client-go).
   */
  serverResourcesForGroupVersion(groupVersion: string, options?: DiscoveryOptions): Promise<APIResourceList>;
  /**
   * Groups plus the resources of every group-version. When some group-versions cannot be read,
   * throws {@link GroupDiscoveryFailedError} carrying the partial result (`groups`, `resources`)
   * and each failure.
   */
  serverGroupsAndResources(options?: DiscoveryOptions): Promise<GroupsAndResources>;
  /**
   * For every group-resource, its entry in the group's preferred version (or the first version
   * serving it), subresources excluded; one list per group-version (some may be empty). Partial
   * failure throws {@link GroupDiscoveryFailedError} whose `resources` are the preferred lists.
   */
  serverPreferredResources(options?: DiscoveryOptions): Promise<APIResourceList[]>;
  /** {@link serverPreferredResources} restricted to namespaced resources; empty lists dropped. */
  serverPreferredNamespacedResources(options?: DiscoveryOptions): Promise<APIResourceList[]>;
  /**
   * One round of aggregated discovery when the server offers it (client-go's
   * `GroupsAndMaybeResources`): groups, and the resources per group-version when the server sent
   * them (`undefined` for a legacy server), plus failed (stale) group-versions. Caches call this.
   */
  groupsAndMaybeResources(options?: DiscoveryOptions): Promise<GroupsAndMaybeResources>;
  /** The server's OpenAPI v3 documents: the index and each group-version's schema. */
  openAPIV3(): OpenAPIV3Client;
  /** Caches: true while everything served came from this client's own fetches. The plain client: always true. */
  fresh(): boolean;
  /** Caches: forget everything. The plain client: no-op. */
  invalidate(): void;
}

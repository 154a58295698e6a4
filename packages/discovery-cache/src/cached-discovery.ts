import {
  type APIGroupList,
  type APIResourceList,
  type DiscoveryInterface,
  type DiscoveryOptions,
  type GroupsAndMaybeResources,
  type GroupsAndResources,
  type OpenAPIV3Client,
  serverGroupsAndResources,
  serverPreferredNamespacedResources,
  serverPreferredResources,
  type VersionInfo,
} from '@kgo/discovery';

/**
 * What the memory and disk caches share: a delegate asked on a miss, the server version and
 * OpenAPI passed through to it (client-go caches neither here), and the whole-server walks
 * computed by @kgo/discovery's free functions over the cache's own group and resource lookups.
 */
export abstract class CachedDiscovery implements DiscoveryInterface {
  /** The client asked on a miss. */
  protected readonly delegate: DiscoveryInterface;

  constructor(delegate: DiscoveryInterface) {
    this.delegate = delegate;
  }

  /** Every API group, core first. */
  abstract serverGroups(options?: DiscoveryOptions): Promise<APIGroupList>;
  /** One group-version's resources. */
  abstract serverResourcesForGroupVersion(groupVersion: string, options?: DiscoveryOptions): Promise<APIResourceList>;
  /** The groups, and the resources where the cache has them all at hand. */
  abstract groupsAndMaybeResources(options?: DiscoveryOptions): Promise<GroupsAndMaybeResources>;
  /** Whether everything served came from this client's own fetches. */
  abstract fresh(): boolean;
  /** Forget what is cached. */
  abstract invalidate(): void;

  /** The server's version, from the delegate: not cached (client-go neither). */
  serverVersion(options?: DiscoveryOptions): Promise<VersionInfo> {
    return this.delegate.serverVersion(options);
  }

  /** The delegate's OpenAPI v3 client (its documents are cached by the HTTP cache, not here). */
  openAPIV3(): OpenAPIV3Client {
    return this.delegate.openAPIV3();
  }

  /** Groups and every group-version's resources, through the cache; see @kgo/discovery's `serverGroupsAndResources`. */
  serverGroupsAndResources(options?: DiscoveryOptions): Promise<GroupsAndResources> {
    return serverGroupsAndResources(this, options);
  }

  /** Every group-resource in its preferred version, through the cache; see @kgo/discovery's `serverPreferredResources`. */
  serverPreferredResources(options?: DiscoveryOptions): Promise<APIResourceList[]> {
    return serverPreferredResources(this, options);
  }

  /** The preferred namespaced resources, through the cache. */
  serverPreferredNamespacedResources(options?: DiscoveryOptions): Promise<APIResourceList[]> {
    return serverPreferredNamespacedResources(this, options);
  }
}

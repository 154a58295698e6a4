export type { DiscoveryInterface, DiscoveryOptions, GroupsAndMaybeResources, GroupsAndResources } from './discovery-interface.ts';
export { GroupDiscoveryFailedError } from './errors/group-discovery-failed-error.ts';
export { StaleGroupVersionError } from './errors/stale-group-version-error.ts';
export { formatGroupVersion, parseGroupVersion } from './helpers/group-version.ts';
export { filterResources, preferredResources } from './helpers/preferred-resources.ts';
export {
  DEFAULT_DISCOVERY_CONCURRENCY,
  type DiscoverySource,
  type DiscoveryWalkOptions,
  discoverAll,
  serverGroupsAndResources,
  serverPreferredNamespacedResources,
  serverPreferredResources,
} from './helpers/server-groups-and-resources.ts';
export type { APIGroup, APIGroupList, APIVersions, GroupVersionForDiscovery } from './model/api-group.ts';
export type { APIResource, APIResourceList } from './model/api-resource.ts';
export type {
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIResourceDiscovery,
  APISubresourceDiscovery,
  APIVersionDiscovery,
  DiscoveryFreshness,
  DiscoveryGroupVersionKind,
} from './model/aggregated-discovery.ts';
export type { OpenAPIGroupVersion, OpenAPIV3Client, OpenAPIV3Document, OpenAPIV3Index, OpenAPIV3IndexEntry } from './model/openapi-v3.ts';
export type { VersionInfo } from './model/version-info.ts';
export { type ServerVersion, serverVersion } from './server-version.ts';

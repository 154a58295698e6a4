export {
  ACCEPT_AGGREGATED_V2,
  ACCEPT_AGGREGATED_V2BETA1,
  ACCEPT_DISCOVERY,
  ACCEPT_LEGACY,
  apiVersionsToAPIGroup,
  discoveryFormat,
  type SplitDiscovery,
  splitGroupsAndResources,
} from './aggregated-discovery.ts';
export { DiscoveryClient, type DiscoveryClientOptions, discoveryConfig } from './discovery-client.ts';
export type { DiscoveryInterface, DiscoveryOptions, GroupsAndMaybeResources, GroupsAndResources } from './discovery-interface.ts';
export { AmbiguousKindError } from './errors/ambiguous-kind-error.ts';
export { AmbiguousResourceError } from './errors/ambiguous-resource-error.ts';
export { GroupDiscoveryFailedError } from './errors/group-discovery-failed-error.ts';
export { NoKindMatchError } from './errors/no-kind-match-error.ts';
export { NoResourceMatchError } from './errors/no-resource-match-error.ts';
export { isAmbiguousError, isNoMatchError } from './errors/predicates.ts';
export { StaleGroupVersionError } from './errors/stale-group-version-error.ts';
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
export { OpenAPIV3 } from './openapi-v3-client.ts';
export {
  DeferredDiscoveryRESTMapper,
  type DeferredDiscoveryRESTMapperOptions,
  type RESTMapper,
} from './restmapper/deferred-discovery-rest-mapper.ts';
export { DiscoveryRESTMapper, type DiscoveryRESTMapperOptions } from './restmapper/discovery-rest-mapper.ts';
export { guessKindToResource } from './restmapper/guess-kind-to-resource.ts';
export type { RESTMapping } from './restmapper/rest-mapping.ts';
export { type ServerVersion, serverVersion } from './server-version.ts';

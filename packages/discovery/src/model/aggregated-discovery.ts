/*
 * The aggregated discovery document (apidiscovery.k8s.io v2 and v2beta1, identical in shape):
 * every group, version and resource in one response at `/api` and `/apis`.
 */

/** A group/version/kind as aggregated discovery writes it (`responseKind`). */
export interface DiscoveryGroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `Current`, or `Stale` when an aggregated API server could not be reached (its data is old). */
export type DiscoveryFreshness = 'Current' | 'Stale';

/** A subresource in aggregated discovery (`apidiscovery.APISubresourceDiscovery`). */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: DiscoveryGroupVersionKind;
  acceptedTypes?: DiscoveryGroupVersionKind[];
  verbs: string[];
}

/** A resource in aggregated discovery (`apidiscovery.APIResourceDiscovery`). */
export interface APIResourceDiscovery {
  resource: string;
  responseKind?: DiscoveryGroupVersionKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** A version of a group in aggregated discovery (`apidiscovery.APIVersionDiscovery`). */
export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness?: DiscoveryFreshness;
}

/** A group in aggregated discovery (`apidiscovery.APIGroupDiscovery`); versions most preferred first. */
export interface APIGroupDiscovery {
  metadata?: { name?: string };
  versions?: APIVersionDiscovery[];
}

/** The aggregated discovery document (`apidiscovery.APIGroupDiscoveryList`). */
export interface APIGroupDiscoveryList {
  kind?: string;
  apiVersion?: string;
  items?: APIGroupDiscovery[];
}

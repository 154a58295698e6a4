import type { GroupVersionKind, GroupVersionResource } from '@kgo/rest';

/** How to reach a kind over REST (apimachinery `meta.RESTMapping`). */
export interface RESTMapping {
  /** The resource to request (`apps/v1` `deployments`). */
  resource: GroupVersionResource;
  /** The kind the resource serves. */
  groupVersionKind: GroupVersionKind;
  /** Whether objects live in a namespace (`RESTScopeNamespace`) or at the cluster root. */
  scope: 'namespace' | 'root';
}

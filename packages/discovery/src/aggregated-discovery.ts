import { StaleGroupVersionError } from './errors/stale-group-version-error.ts';
import { formatApiVersion } from '@kgo/rest';
import type { APIGroup, APIGroupList, APIVersions } from './model/api-group.ts';
import type { APIResource, APIResourceList } from './model/api-resource.ts';
import type { APIGroupDiscoveryList, APIResourceDiscovery, APISubresourceDiscovery } from './model/aggregated-discovery.ts';

/*
 * Aggregated discovery (client-go discovery/aggregated_discovery.go): content negotiation and the
 * conversion of one APIGroupDiscoveryList into groups and per-group-version resource lists.
 * Pure, so the rules are unit-tested without a server.
 */

const aggregated = (version: string) => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** Accept for aggregated discovery v2 (Kubernetes ≥ 1.30). */
export const ACCEPT_AGGREGATED_V2 = aggregated('v2');
/** Accept for aggregated discovery v2beta1 (Kubernetes 1.26–1.36). */
export const ACCEPT_AGGREGATED_V2BETA1 = aggregated('v2beta1');
/** Accept for the legacy documents. */
export const ACCEPT_LEGACY = 'application/json';
/** What a discovery client asks for at `/api` and `/apis`: aggregated v2, then v2beta1, then legacy (client-go's order). */
export const ACCEPT_DISCOVERY = `${ACCEPT_AGGREGATED_V2},${ACCEPT_AGGREGATED_V2BETA1},${ACCEPT_LEGACY}`;

/**
 * Which document a response Content-Type announces: `v2`/`v2beta1` for aggregated discovery, or
 * `legacy`. Parameter order and case of the media type do not matter (client-go is resilient too).
 */
export function discoveryFormat(contentType: string): 'v2' | 'v2beta1' | 'legacy' {
  const [mediaType, ...params] = contentType.split(';').map((part) => part.trim());
  if (mediaType?.toLowerCase() !== 'application/json') return 'legacy';
  const values = new Map(
    params.map((param) => {
      const eq = param.indexOf('=');
      return [param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim()] as const;
    }),
  );
  if (values.get('g') !== 'apidiscovery.k8s.io' || values.get('as') !== 'APIGroupDiscoveryList') return 'legacy';
  const version = values.get('v');
  return version === 'v2' || version === 'v2beta1' ? version : 'legacy';
}

/** The groups, resources and stale group-versions of one aggregated document. */
export interface SplitDiscovery {
  groups: APIGroup[];
  resources: Map<string, APIResourceList>;
  failed: Map<string, Error>;
}

function convertResource(resource: APIResourceDiscovery): { resource: APIResource; complete: boolean } {
  const result: APIResource = {
    name: resource.resource,
    singularName: resource.singularResource ?? '',
    namespaced: resource.scope === 'Namespaced',
    kind: resource.responseKind?.kind ?? '',
    verbs: resource.verbs ?? [],
  };
  if (resource.shortNames) result.shortNames = resource.shortNames;
  if (resource.categories) result.categories = resource.categories;
  // Go's omitempty: an empty group or version is the same as none.
  if (resource.responseKind?.group) result.group = resource.responseKind.group;
  if (resource.responseKind?.version) result.version = resource.responseKind.version;
  return { resource: result, complete: resource.responseKind !== undefined };
}

function convertSubresource(parent: APIResource, subresource: APISubresourceDiscovery): APIResource | undefined {
  if (!subresource.responseKind) return undefined;
  const result: APIResource = {
    name: `${parent.name}/${subresource.subresource}`,
    singularName: parent.singularName,
    namespaced: parent.namespaced,
    kind: subresource.responseKind.kind,
    verbs: subresource.verbs ?? [],
  };
  if (subresource.responseKind.group) result.group = subresource.responseKind.group;
  if (subresource.responseKind.version) result.version = subresource.responseKind.version;
  return result;
}

/**
 * Splits an aggregated document into groups and resource lists (client-go
 * `SplitGroupsAndResources`): stale versions are left out of their group and reported as
 * {@link StaleGroupVersionError}; the preferred version is the first version that is not stale;
 * a resource without `responseKind` is dropped (its subresources are kept); subresources become
 * `<resource>/<subresource>` entries.
 */
export function splitGroupsAndResources(document: APIGroupDiscoveryList): SplitDiscovery {
  const groups: APIGroup[] = [];
  const resources = new Map<string, APIResourceList>();
  const failed = new Map<string, Error>();
  for (const item of document.items ?? []) {
    const name = item.metadata?.name ?? '';
    const group: APIGroup = { name, versions: [] };
    for (const version of item.versions ?? []) {
      const gv = formatApiVersion({ group: name, version: version.version });
      if (version.freshness === 'Stale') {
        failed.set(gv, new StaleGroupVersionError(gv));
        continue;
      }
      const entry = { groupVersion: gv, version: version.version };
      group.versions.push(entry);
      group.preferredVersion ??= entry;
      const list: APIResourceList = { groupVersion: gv, resources: [] };
      for (const discovered of version.resources ?? []) {
        const { resource, complete } = convertResource(discovered);
        if (complete) list.resources.push(resource);
        for (const sub of discovered.subresources ?? []) {
          const converted = convertSubresource(resource, sub);
          if (converted) list.resources.push(converted);
        }
      }
      resources.set(gv, list);
    }
    groups.push(group);
  }
  return { groups, resources, failed };
}

/** The core group from the legacy `/api` document (client-go `apiVersionsToAPIGroup`). */
export function apiVersionsToAPIGroup(versions: APIVersions): APIGroup {
  const entries = (versions.versions ?? []).map((version) => ({ groupVersion: version, version }));
  const group: APIGroup = { name: '', versions: entries };
  if (entries[0]) group.preferredVersion = entries[0];
  return group;
}

/** Groups in the order given, as an {@link APIGroupList}. */
export const groupList = (groups: APIGroup[]): APIGroupList => ({ kind: 'APIGroupList', apiVersion: 'v1', groups });

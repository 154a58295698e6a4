import type { DiscoveryInterface, DiscoveryOptions, GroupsAndResources } from '../discovery-interface.ts';
import { GroupDiscoveryFailedError } from '../errors/group-discovery-failed-error.ts';
import type { APIGroup } from '../model/api-group.ts';
import type { APIResource, APIResourceList } from '../model/api-resource.ts';
import { formatApiVersion } from '@kgo/rest';
import { mapConcurrently } from './map-concurrently.ts';
import { filterResources, preferredResources } from './preferred-resources.ts';

/** How many group-versions a legacy walk reads at once, unless told otherwise. */
export const DEFAULT_DISCOVERY_CONCURRENCY = 16;

/** Options of the discovery walks: a signal, and how many group-versions a legacy walk reads at once. */
export interface DiscoveryWalkOptions extends DiscoveryOptions {
  /** Group-versions fetched in parallel when the server has no aggregated discovery (default {@link DEFAULT_DISCOVERY_CONCURRENCY}). */
  concurrency?: number | undefined;
}

/** The part of a {@link DiscoveryInterface} the walks need. */
export type DiscoverySource = Pick<DiscoveryInterface, 'groupsAndMaybeResources' | 'serverResourcesForGroupVersion'>;

interface Walk {
  groups: APIGroup[];
  byGroupVersion: Map<string, APIResourceList>;
  failed: Map<string, Error>;
}

/**
 * One discovery round over any {@link DiscoverySource}: groups and resources from
 * `groupsAndMaybeResources`, then — for a legacy server — every group-version read with
 * `serverResourcesForGroupVersion`, at most `concurrency` at once, failures collected.
 */
export async function discoverAll(d: DiscoverySource, options: DiscoveryWalkOptions = {}): Promise<Walk> {
  const { groups, resources, failed } = await d.groupsAndMaybeResources(options);
  const failures = new Map(failed);
  let byGroupVersion = resources;
  if (!byGroupVersion) {
    byGroupVersion = new Map();
    const gvs = groups.groups.flatMap((group) => group.versions.map((version) => formatApiVersion({ group: group.name, version: version.version })));
    const settled = await mapConcurrently(gvs, options.concurrency ?? DEFAULT_DISCOVERY_CONCURRENCY, (gv) =>
      d.serverResourcesForGroupVersion(gv, options),
    );
    options.signal?.throwIfAborted();
    settled.forEach((outcome, index) => {
      const gv = gvs[index] as string;
      if (outcome.status === 'fulfilled') byGroupVersion?.set(gv, outcome.value);
      else failures.set(gv, outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)));
    });
  }
  return { groups: groups.groups, byGroupVersion, failed: failures };
}

/** The lists in group order and each group's version order (client-go orders results so). */
function ordered(groups: readonly APIGroup[], byGroupVersion: ReadonlyMap<string, APIResourceList>): APIResourceList[] {
  const result: APIResourceList[] = [];
  for (const group of groups) {
    for (const version of group.versions) {
      const list = byGroupVersion.get(formatApiVersion({ group: group.name, version: version.version }));
      if (list) result.push(list);
    }
  }
  return result;
}

/**
 * Groups and every group-version's resources from any discovery source (client-go's free function
 * `ServerGroupsAndResources(d)`). Aggregated discovery: one round. Legacy: one request per
 * group-version, in parallel. Partial failure throws {@link GroupDiscoveryFailedError} carrying the
 * rest.
 *
 * @example
 * ```ts
 * const { groups, resources } = await serverGroupsAndResources(discovery);
 * ```
 */
export async function serverGroupsAndResources(d: DiscoverySource, options: DiscoveryWalkOptions = {}): Promise<GroupsAndResources> {
  const walk = await discoverAll(d, options);
  const result = { groups: walk.groups, resources: ordered(walk.groups, walk.byGroupVersion) };
  if (walk.failed.size > 0) throw new GroupDiscoveryFailedError(walk.failed, result);
  return result;
}

/**
 * Every group-resource in its preferred version (client-go's free function
 * `ServerPreferredResources(d)`); see {@link preferredResources}. Partial failure throws
 * {@link GroupDiscoveryFailedError} whose `resources` are the preferred lists of what was read.
 */
export async function serverPreferredResources(d: DiscoverySource, options: DiscoveryWalkOptions = {}): Promise<APIResourceList[]> {
  const walk = await discoverAll(d, options);
  const result = preferredResources(walk.groups, walk.byGroupVersion);
  if (walk.failed.size > 0) throw new GroupDiscoveryFailedError(walk.failed, { groups: walk.groups, resources: result });
  return result;
}

const namespaced = (_gv: string, resource: APIResource): boolean => resource.namespaced;

/**
 * {@link serverPreferredResources} restricted to namespaced resources, empty lists dropped
 * (client-go `ServerPreferredNamespacedResources(d)`). Partial failure throws
 * {@link GroupDiscoveryFailedError} whose `resources` are the filtered lists.
 */
export async function serverPreferredNamespacedResources(d: DiscoverySource, options: DiscoveryWalkOptions = {}): Promise<APIResourceList[]> {
  try {
    return filterResources(await serverPreferredResources(d, options), namespaced);
  } catch (error) {
    if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
    throw new GroupDiscoveryFailedError(error.failed, { groups: error.groups, resources: filterResources(error.resources, namespaced) });
  }
}

import { type DiscoveryInterface, GroupDiscoveryFailedError, type GroupsAndResources } from '@kgo/discovery';
import type { Output } from '../output.ts';

/**
 * Groups and resources, going on with what was read when some group-versions fail (an
 * aggregated API server that is down), as kubectl does, with a warning naming them.
 */
export async function discoverAll(discovery: DiscoveryInterface, out: Output): Promise<GroupsAndResources> {
  try {
    return await discovery.serverGroupsAndResources();
  } catch (error) {
    if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
    out.line(`  warning: ${error.message}`);
    return { groups: error.groups, resources: error.resources };
  }
}

/** `12 groups, 20 group-versions, 75 resources` (subresources not counted). */
export function describeDiscovery({ groups, resources }: GroupsAndResources): string {
  const count = resources.reduce((sum, list) => sum + list.resources.filter((r) => !r.name.includes('/')).length, 0);
  return `${groups.length} groups, ${resources.length} group-versions, ${count} resources`;
}

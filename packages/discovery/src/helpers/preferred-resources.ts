import type { APIGroup } from '../model/api-group.ts';
import type { APIResource, APIResourceList } from '../model/api-resource.ts';
import { formatApiVersion } from '@kgo/rest';

/**
 * Picks, for every group-resource, the entry of the group's preferred version — or of the first
 * version (in the group's order) that serves it when the preferred version does not —, leaving
 * subresources out (client-go `ServerPreferredResources`). Returns one list per group-version that
 * was read, in group and version order; a list is empty when all its resources are served
 * preferably by another version. Pure: caches call it on their stored lists.
 */
export function preferredResources(groups: readonly APIGroup[], resourcesByGroupVersion: ReadonlyMap<string, APIResourceList>): APIResourceList[] {
  const result: APIResourceList[] = [];
  // group/resource -> the list it lands in and its entry, in first-seen order per list
  const chosen = new Map<string, { list: string; resource: APIResource }>();
  const lists = new Map<string, APIResourceList>();
  for (const group of groups) {
    for (const version of group.versions) {
      const gv = formatApiVersion({ group: group.name, version: version.version });
      const source = resourcesByGroupVersion.get(gv);
      if (!source) continue;
      const list: APIResourceList = { groupVersion: version.groupVersion || gv, resources: [] };
      lists.set(gv, list);
      result.push(list);
      for (const resource of source.resources ?? []) {
        if (resource.name.includes('/')) continue;
        const key = `${group.name}/${resource.name}`;
        if (chosen.has(key) && version.version !== group.preferredVersion?.version) continue;
        chosen.set(key, { list: gv, resource });
      }
    }
  }
  for (const { list, resource } of chosen.values()) lists.get(list)?.resources.push(resource);
  return result;
}

/** The lists with only the resources `predicate` accepts; lists left empty are dropped (client-go `FilteredBy`). */
export function filterResources(lists: readonly APIResourceList[], predicate: (groupVersion: string, resource: APIResource) => boolean): APIResourceList[] {
  const result: APIResourceList[] = [];
  for (const list of lists) {
    const resources = list.resources.filter((resource) => predicate(list.groupVersion, resource));
    if (resources.length > 0) result.push({ ...list, resources });
  }
  return result;
}

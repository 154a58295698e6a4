import { DiscoveryClient, discoveryConfig, type GroupsAndResources } from '@kgo/discovery';
import { RestClient } from '@kgo/rest';
import type { Step } from '../step.ts';
import type { Table } from '../table.ts';
import { describeDiscovery, discoverAll } from './discovered.ts';

/**
 * kubectl api-resources' columns for every resource of every group-version the server serves
 * (kubectl shows the preferred version only), subresources left out. Sorted as kubectl sorts by
 * default: by group, then by name; versions of one group stay in the server's order.
 */
export function apiResourcesTable({ resources }: GroupsAndResources): Table {
  const entries = resources.flatMap((list) => {
    const slash = list.groupVersion.indexOf('/');
    const group = slash === -1 ? '' : list.groupVersion.slice(0, slash);
    return list.resources.filter((r) => !r.name.includes('/')).map((resource) => ({ group, groupVersion: list.groupVersion, resource }));
  });
  entries.sort((a, b) => (a.group === b.group ? compare(a.resource.name, b.resource.name) : compare(a.group, b.group)));
  return {
    headers: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'],
    rows: entries.map(({ groupVersion, resource }) => [
      resource.name,
      (resource.shortNames ?? []).join(','),
      groupVersion,
      String(resource.namespaced),
      resource.kind,
    ]),
  };
}

// Go's strings.Compare (byte order), as kubectl sorts; not locale order.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 4. The DiscoveryClient: every group, version and resource, like `kubectl api-resources`. */
export const discoveryApiResources: Step = {
  title: 'DiscoveryClient',
  description: 'prints every group, version and resource, like kubectl api-resources',
  clientGo: 'discovery.NewDiscoveryClientForConfig(config).ServerGroupsAndResources()',
  async run(ctx) {
    // client-go's discovery defaults (burst 300, 32 s timeout) on a counted config.
    const rest = new RestClient(ctx.counter.counted(discoveryConfig(ctx.config)));
    try {
      const discovered = await discoverAll(new DiscoveryClient(rest), ctx.out);
      ctx.out.table(apiResourcesTable(discovered));
      return describeDiscovery(discovered);
    } finally {
      await rest.close();
    }
  },
};

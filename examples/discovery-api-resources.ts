// The DiscoveryClient walkthrough: every group, version and resource the server serves, with
// kubectl api-resources' columns (kubectl shows only each group's preferred version).
//
// client-go:
//   dc, _ := discovery.NewDiscoveryClientForConfig(config)
//   groups, lists, _ := dc.ServerGroupsAndResources()
//
// Run: node discovery-api-resources.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/discovery; uses KUBECONFIG or ~/.kube/config)
import { DiscoveryClient, discoveryConfig, GroupDiscoveryFailedError, type GroupsAndResources } from '@kgo/discovery';
import { loadConfig } from '@kgo/kubeconfig';
import { RestClient } from '@kgo/rest';

const { config } = await loadConfig();
// client-go's discovery settings (burst 300, 32 s timeout) on a RestClient we close at the end.
await using rest = new RestClient(discoveryConfig(config));
const discovery = new DiscoveryClient(rest);

let discovered: GroupsAndResources;
try {
  discovered = await discovery.serverGroupsAndResources(); // aggregated discovery: 2 requests for everything
} catch (error) {
  // An aggregated API server that is down: go on with what was read, as kubectl does.
  if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
  console.error(`warning: ${error.message}`);
  discovered = { groups: error.groups, resources: error.resources };
}

const rows = discovered.resources.flatMap((list) =>
  list.resources
    .filter((resource) => !resource.name.includes('/')) // subresources (pods/log) are not listed
    .map((resource) => [resource.name, (resource.shortNames ?? []).join(','), list.groupVersion, String(resource.namespaced), resource.kind]),
);
const table = [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ...rows];
const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column]! + 3)).join('').trimEnd());
console.log(`\n${discovered.groups.length} groups, ${discovered.resources.length} group-versions, ${rows.length} resources`);

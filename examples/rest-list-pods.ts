// The RESTClient walkthrough: list the pods in kube-system, 10 at most, and print namespace, name and phase.
//
// client-go:
//   restClient, _ := rest.RESTClientFor(config)
//   restClient.Get().Namespace("kube-system").Resource("pods").
//     VersionedParams(&metav1.ListOptions{Limit: 10}, scheme.ParameterCodec).Do(ctx).Into(&pods)
//
// Run: node rest-list-pods.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { loadConfig } from '@kgo/kubeconfig';
import { type KubeList, RestClient } from '@kgo/rest';
import type { Pod } from '@kgo/typed/core/v1';

const { config } = await loadConfig();
await using core = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });

const pods = await core.get().namespace('kube-system').resource('pods').params({ limit: 10 }).do().into<KubeList<Pod>>();

console.log(`${'NAMESPACE'.padEnd(16)}${'NAME'.padEnd(48)}PHASE`);
for (const pod of pods.items) {
  console.log(`${(pod.metadata?.namespace ?? '').padEnd(16)}${(pod.metadata?.name ?? '').padEnd(48)}${pod.status?.phase ?? ''}`);
}
// With a limit, the server hands out the rest behind a continue token.
if (pods.metadata.continue) console.log(`… more pods: ask again with params({ limit: 10, continue: '${pods.metadata.continue.slice(0, 12)}…' })`);

// The DynamicClient walkthrough: list pods as plain JSON (any resource works the same way, CRDs
// included), then convert each to the typed Pod.
//
// client-go:
//   client, _ := dynamic.NewForConfig(config)
//   list, _ := client.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).
//     Namespace("kube-system").List(ctx, metav1.ListOptions{Limit: 10})
//   runtime.DefaultUnstructuredConverter.FromUnstructured(item.UnstructuredContent(), &pod)
//
// Run: node dynamic-list-pods.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/dynamic @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { DynamicClient, fromUnstructured, getName, nestedString } from '@kgo/dynamic';
import { loadConfig } from '@kgo/kubeconfig';
import type { Pod } from '@kgo/typed/core/v1';

const { config } = await loadConfig();
await using dynamic = new DynamicClient(config);

const list = await dynamic.resource({ group: '', version: 'v1', resource: 'pods' }).namespace('kube-system').list({ limit: 10 });

console.log(`${'NAMESPACE'.padEnd(16)}${'NAME'.padEnd(48)}${'PHASE'.padEnd(12)}IMAGE`);
for (const item of list.items) {
  // Unstructured access: helpers over the plain object, as client-go's unstructured.Nested*.
  const phase = nestedString(item, 'status', 'phase').value ?? '';
  // Typed access: fromUnstructured checks apiVersion and kind, then gives the same object as a Pod.
  const pod = fromUnstructured<Pod>(item, { apiVersion: 'v1', kind: 'Pod' });
  const image = pod.spec?.containers[0]?.image ?? '';
  console.log(`${(pod.metadata?.namespace ?? '').padEnd(16)}${(getName(item) ?? '').padEnd(48)}${phase.padEnd(12)}${image}`);
}

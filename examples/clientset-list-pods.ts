// The ClientSet walkthrough: the same list through the generated, typed client.
//
// client-go:
//   clientset, _ := kubernetes.NewForConfig(config)
//   pods, _ := clientset.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{Limit: 10})
//
// Run: node clientset-list-pods.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { loadConfig } from '@kgo/kubeconfig';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';

const { config } = await loadConfig();
// Only the group-versions named here are loaded (and bundled); @kgo/typed/all has every one.
const clientset = createClientSet(config, { coreV1 });

try {
  const pods = await clientset.coreV1().pods('kube-system').list({ limit: 10 });
  console.log(`${'NAMESPACE'.padEnd(16)}${'NAME'.padEnd(48)}PHASE`);
  for (const pod of pods.items) {
    console.log(`${(pod.metadata?.namespace ?? '').padEnd(16)}${(pod.metadata?.name ?? '').padEnd(48)}${pod.status?.phase ?? ''}`);
  }
} finally {
  await clientset.close();
}

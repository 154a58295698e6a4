// The ClientSet walkthrough over protobuf, as client-go's typed clients speak it by default.
//
// client-go:
//   config.ContentType = "application/vnd.kubernetes.protobuf" // the default for built-in kinds
//   clientset, _ := kubernetes.NewForConfig(config)
//   pods, _ := clientset.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{Limit: 10})
//
// kgo asks for JSON unless given a codec: protobuf halves the API server's CPU and a Pod list's bytes, but
// costs more client CPU than JSON in JavaScript (docs/benchmarks.md). The objects are the same either way.
//
// Run: node protobuf-list-pods.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { loadConfig } from '@kgo/kubeconfig';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import { coreV1Protobuf } from '@kgo/typed/core/v1/protobuf';

const { config } = await loadConfig();
// The codec is its own import: an app that never passes one bundles no protobuf code.
const clientset = createClientSet(config, { coreV1 }, { protobuf: coreV1Protobuf });

try {
  const pods = await clientset.coreV1().pods('kube-system').list({ limit: 10 });
  console.log(`${'NAMESPACE'.padEnd(16)}${'NAME'.padEnd(48)}PHASE`);
  for (const pod of pods.items) {
    console.log(`${(pod.metadata?.namespace ?? '').padEnd(16)}${(pod.metadata?.name ?? '').padEnd(48)}${pod.status?.phase ?? ''}`);
  }
} finally {
  await clientset.close();
}

// "List pods in kube-system" with @kubernetes/client-node: the kubeconfig in $KUBECONFIG, CoreV1Api.
// bench:app-size installs, bundles and runs it. KGO_APP_IMPORT_ONLY=1 stops after loading the
// modules (the import-time measurement), without tree-shaking anything out of a bundle.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

if (process.env.KGO_APP_IMPORT_ONLY !== '1') {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const core = kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
  for (const pod of pods.items) console.log(`pod ${pod.metadata?.name} ${pod.metadata?.uid}`);
  console.log(`${pods.items.length} pods in kube-system`);
}

// "List pods in kube-system" with kgo: the kubeconfig in $KUBECONFIG, the typed core/v1 client.
// bench:app-size installs, bundles and runs it. KGO_APP_IMPORT_ONLY=1 stops after loading the
// modules (the import-time measurement), without tree-shaking anything out of a bundle.
import { loadConfig } from '@kgo/kubeconfig';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';

if (process.env.KGO_APP_IMPORT_ONLY !== '1') {
  const { config } = await loadConfig();
  const clientset = createClientSet(config, { coreV1 });
  const pods = await clientset.coreV1().pods('kube-system').list();
  for (const pod of pods.items) console.log(`pod ${pod.metadata?.name} ${pod.metadata?.uid}`);
  console.log(`${pods.items.length} pods in kube-system`);
  await clientset.close();
}

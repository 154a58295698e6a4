// A new user's first kgo app: list the pods in kube-system with the kubeconfig in $KUBECONFIG.
// The consumer check bundles it with esbuild and rollup and runs the bundles against envtest.
// A main() rather than top-level await, so the same file also bundles to CommonJS.
import { loadConfig } from '@kgo/kubeconfig';
import { RestClient } from '@kgo/rest';

async function main() {
  const { config } = await loadConfig();
  const core = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
  const pods = (await core.get().namespace('kube-system').resource('pods').do()).into();
  for (const pod of pods.items) console.log(`pod ${pod.metadata.name} ${pod.metadata.uid}`);
  console.log(`${pods.items.length} pods in kube-system at resourceVersion ${pods.metadata.resourceVersion}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

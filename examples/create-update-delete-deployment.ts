// client-go's create-update-delete-deployment walkthrough: create a Deployment, update it (with a retry on
// conflict), list Deployments, delete it — here also watching each rollout finish, as `kubectl rollout status` does.
//
// client-go:
//   deploymentsClient := clientset.AppsV1().Deployments(ns)
//   result, err := deploymentsClient.Create(ctx, deployment, metav1.CreateOptions{})
//   retry.RetryOnConflict(retry.DefaultRetry, func() error { d, _ := deploymentsClient.Get(…); d.Spec.Replicas = …; _, err := deploymentsClient.Update(ctx, d, …); return err })
//   (kgo: retryOnConflict(DEFAULT_RETRY, async () => deployments.update(…)) from @kgo/rest)
//   deploymentsClient.Delete(ctx, "demo-deployment", metav1.DeleteOptions{PropagationPolicy: &foreground})
//
// It needs a cluster that runs pods, and writes only in a namespace it creates (kgo-deployment-example-<random>) and
// deletes at the end.
// Run: node create-update-delete-deployment.ts   (npm install @kgo/kubeconfig @kgo/rest @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { loadConfig } from '@kgo/kubeconfig';
import { DEFAULT_RETRY, HttpClient, retryOnConflict } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { appsV1, type Deployment, type DeploymentInterface } from '@kgo/typed/apps/v1';
import { coreV1 } from '@kgo/typed/core/v1';

const NAME = 'demo-deployment';
/** Every wait is bounded: a rollout that does not finish is an error, not a hang. */
const TIMEOUT_MS = 60_000;

/** kubectl rollout status's rule: the controller saw this generation; every replica is updated and available, no old one left. */
function rolledOut(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

/** Watches the Deployment from `from`'s resourceVersion until `done` holds for it, or it is deleted. */
async function watchUntil(deployments: DeploymentInterface, from: Deployment, done: (d: Deployment) => boolean): Promise<Deployment> {
  const watch = await deployments.watch({
    fieldSelector: `metadata.name=${NAME}`,
    resourceVersion: from.metadata?.resourceVersion,
    timeoutSeconds: TIMEOUT_MS / 1000,
  });
  for await (const event of watch) {
    if (event.type === 'ERROR') throw new Error(`watch failed: ${event.object.message}`);
    if (event.type === 'BOOKMARK') continue;
    if (event.type === 'DELETED' || done(event.object)) {
      watch.stop();
      return event.object;
    }
  }
  throw new Error(`deployment ${NAME} did not get there within ${TIMEOUT_MS / 1000} s (does the cluster have nodes that run pods?)`);
}

const { config } = await loadConfig();
await using http = new HttpClient(config);
const clientset = createClientSet(http, { appsV1, coreV1 });
const namespace = (await clientset.coreV1().namespaces().create({ metadata: { generateName: 'kgo-deployment-example-' } })).metadata?.name ?? '';
try {
  const deployments = clientset.appsV1().deployments(namespace);
  const labels = { app: 'demo' };

  console.log('Creating deployment...');
  const created = await deployments.create({
    metadata: { name: NAME },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  });
  console.log(`Created deployment "${created.metadata?.name}".`);
  const first = await watchUntil(deployments, created, rolledOut);
  console.log(`Rolled out: ${first.status?.readyReplicas} of ${first.spec?.replicas} replicas ready.`);

  console.log('Updating deployment...');
  // RetryOnConflict: read the latest, change it, write it; a 409 means it changed in between (the controller writes status).
  const updated = await retryOnConflict(DEFAULT_RETRY, async () => {
    const latest = await deployments.get(NAME);
    const container = latest.spec?.template?.spec?.containers[0];
    if (!latest.spec || !container) throw new Error(`deployment ${NAME} has no spec or container`);
    latest.spec.replicas = 1;
    container.image = 'registry.k8s.io/pause:3.9';
    return deployments.update(latest);
  });
  const second = await watchUntil(deployments, updated, rolledOut);
  console.log(`Updated deployment: ${second.status?.readyReplicas} of ${second.spec?.replicas} replicas ready, image ${second.spec?.template?.spec?.containers[0]?.image}.`);

  console.log(`Listing deployments in namespace "${namespace}":`);
  for (const d of (await deployments.list()).items) console.log(` * ${d.metadata?.name} (${d.spec?.replicas} replicas)`);

  console.log('Deleting deployment...');
  await deployments.delete(NAME, { propagationPolicy: 'Foreground' });
  await watchUntil(deployments, second, () => false);
  console.log('Deleted deployment.');
} finally {
  await clientset.coreV1().namespaces().delete(namespace);
}

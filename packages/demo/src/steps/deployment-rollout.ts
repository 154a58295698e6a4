import { DEFAULT_RETRY, isConflict, retryOnConflict } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { appsV1, type Deployment, type DeploymentInterface } from '@kgo/typed/apps/v1';
import type { Step } from '../step.ts';

/** The Deployment the step creates, updates and deletes (in the demo's own namespace). */
export const DEMO_DEPLOYMENT = 'kgo-demo-deployment';
/** Bound on each rollout and on the deletion: a cluster without nodes fails the step, never hangs it. */
const ROLLOUT_TIMEOUT_MS = 60_000;
const IMAGES = ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.9'] as const;

const HEADERS = ['ACTION', 'IMAGE', 'REPLICAS', 'UPDATED', 'READY', 'AFTER'];
const WIDTHS = [16, 26, 8, 7, 5, 0];

/**
 * 7. client-go's create-update-delete-deployment walkthrough with the typed client: create a
 * Deployment and watch it roll out, update its image and replicas (get, change, update, again
 * on a conflict: `retryOnConflict`, client-go's `retry.RetryOnConflict`), watch that rollout, list, then delete it in the
 * foreground and watch it go. Needs a cluster that runs pods (the embedded one has nodes).
 */
export const deploymentRollout: Step = {
  title: 'Deployment',
  description: 'creates a Deployment, rolls it to a new image and deletes it, watching each rollout',
  clientGo:
    'clientset.AppsV1().Deployments(ns).Create(ctx, deployment, metav1.CreateOptions{}); retry.RetryOnConflict(retry.DefaultRetry, func() error { … Update(ctx, result, …) })',
  async run(ctx) {
    const namespace = await ctx.scratchNamespace();
    const deployments = createClientSet(ctx.http, { appsV1 }).appsV1().deployments(namespace);
    let actionAt = performance.now();
    const print = (action: string, d: Deployment) =>
      ctx.out.row(
        [
          action,
          d.spec?.template?.spec?.containers[0]?.image ?? '',
          String(d.spec?.replicas ?? ''),
          String(d.status?.updatedReplicas ?? 0),
          String(d.status?.readyReplicas ?? 0),
          `${Math.round(performance.now() - actionAt)} ms`,
        ],
        WIDTHS,
      );
    ctx.out.row(HEADERS, WIDTHS);

    const labels = { app: 'kgo-demo' };
    const created = await deployments.create({
      metadata: { name: DEMO_DEPLOYMENT, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: IMAGES[0] }] } },
      },
    });
    print('created', created);
    const first = await watchUntil(deployments, created, rolledOut, 'the first rollout');
    print('rolled out', first);

    actionAt = performance.now();
    let conflicts = 0;
    // client-go's RetryOnConflict: read the latest, change it, write it; a 409 means someone
    // (here: the deployment controller, writing status) changed it in between.
    const updated = await retryOnConflict(DEFAULT_RETRY, async () => {
      const latest = await deployments.get(DEMO_DEPLOYMENT);
      const container = latest.spec?.template?.spec?.containers[0];
      if (!latest.spec || !container) throw new Error(`deployment ${DEMO_DEPLOYMENT} came back without a spec or container`);
      latest.spec.replicas = 1;
      container.image = IMAGES[1];
      return deployments.update(latest).catch((error: unknown) => {
        if (isConflict(error)) conflicts++;
        throw error;
      });
    });
    print('updated', updated);
    const second = await watchUntil(deployments, updated, rolledOut, 'the rollout to the new image');
    print('rolled out', second);

    const listed = await deployments.list();
    actionAt = performance.now();
    await deployments.delete(DEMO_DEPLOYMENT, { propagationPolicy: 'Foreground' });
    const gone = await watchUntil(deployments, second, () => false, 'the deletion');
    print('deleted', gone);
    const retried = conflicts > 0 ? `, the update retried after ${conflicts} conflict${conflicts === 1 ? '' : 's'}` : '';
    ctx.out.line(ctx.out.dim(`  (AFTER: from the request to the watch event; READY counts pods kwok runs on the embedded cluster's nodes${retried})`));
    return `rolled out twice (${IMAGES[0]} ×2, then ${IMAGES[1]} ×1), ${listed.items.length} listed, deleted in the foreground`;
  },
};

/** kubectl rollout status's rule: this generation observed, every replica updated and available, no old one left. */
export function rolledOut(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    status.updatedReplicas === want &&
    status.replicas === want &&
    status.availableReplicas === want
  );
}

/** Watches the Deployment from `from`'s resourceVersion until `done` holds or it is deleted (bounded). */
async function watchUntil(deployments: DeploymentInterface, from: Deployment, done: (d: Deployment) => boolean, what: string): Promise<Deployment> {
  const signal = AbortSignal.timeout(ROLLOUT_TIMEOUT_MS);
  const watch = await deployments.watch({
    fieldSelector: `metadata.name=${from.metadata?.name}`,
    resourceVersion: from.metadata?.resourceVersion,
    timeoutSeconds: ROLLOUT_TIMEOUT_MS / 1000,
  });
  const stop = () => watch.stop();
  signal.addEventListener('abort', stop);
  try {
    for await (const event of watch) {
      if (event.type === 'ERROR') throw new Error(`the watch for ${what} failed: ${event.object.message ?? 'no message'}`);
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'DELETED' || done(event.object)) return event.object;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    watch.stop();
  }
  throw new Error(`${what} of deployment ${from.metadata?.name} did not finish within ${ROLLOUT_TIMEOUT_MS / 1000} s (does the cluster have nodes that run pods?)`);
}

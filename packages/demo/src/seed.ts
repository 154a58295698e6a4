import { DynamicClient } from '@kgo/dynamic';
import { HttpClient, type RestConfig } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { apiextensionsV1, type CustomResourceDefinition } from '@kgo/typed/apiextensions/v1';
import { appsV1 } from '@kgo/typed/apps/v1';
import { coreV1, type Pod } from '@kgo/typed/core/v1';
import type { Table } from './table.ts';

/** The label on everything the demo seeds. */
export const SEED_LABEL = { 'app.kubernetes.io/part-of': 'kgo-demo' };
/** The sample custom resource's group. */
export const WIDGET_GROUP = 'demo.kgo.dev';

const NAMESPACES = ['demo-shop', 'demo-blog'];
// Scheduled to the embedded cluster's kwok nodes, these go Running; kube-system has no pods of its own there.
const PODS: [namespace: string, name: string, image: string][] = [
  ['kube-system', 'coredns-demo', 'registry.k8s.io/coredns/coredns:v1.12.1'],
  ['kube-system', 'metrics-server-demo', 'registry.k8s.io/metrics-server/metrics-server:v0.8.0'],
  ['demo-shop', 'cart-0', 'registry.k8s.io/pause:3.10'],
  ['demo-blog', 'blog-0', 'registry.k8s.io/pause:3.10'],
];
const READY_TIMEOUT_MS = 30_000;

function pod(namespace: string, name: string, image: string): Pod {
  return {
    metadata: { name, namespace, labels: { ...SEED_LABEL, app: name.replace(/-(demo|\d+)$/, '') } },
    spec: { containers: [{ name: 'main', image }] },
  };
}

const widgetCrd: CustomResourceDefinition = {
  metadata: { name: `widgets.${WIDGET_GROUP}`, labels: SEED_LABEL },
  spec: {
    group: WIDGET_GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'string' } } } },
          },
        },
      },
    ],
  },
};

/**
 * Fills a fresh embedded control plane with sample objects, so every step prints rows: two
 * namespaces, pods (two of them in kube-system), a Deployment, a CRD and one of its objects.
 * Returns what it made, as a table.
 */
export async function seed(config: RestConfig): Promise<Table> {
  await using http = new HttpClient(config);
  const clientset = createClientSet(http, { coreV1, appsV1, apiextensionsV1 });
  const rows: string[][] = [];
  for (const name of NAMESPACES) {
    await clientset.coreV1().namespaces().create({ metadata: { name, labels: SEED_LABEL } });
    rows.push(['Namespace', '', name]);
  }
  // Pods are admitted once their namespace has its `default` service account, which the
  // controller-manager makes a moment after the namespace (as on any cluster).
  for (const namespace of new Set(PODS.map(([ns]) => ns))) {
    await waitFor(`the default service account in ${namespace}`, () => clientset.coreV1().serviceAccounts(namespace).get('default').then(() => true, () => false));
  }
  for (const [namespace, name, image] of PODS) {
    await clientset.coreV1().pods(namespace).create(pod(namespace, name, image));
    rows.push(['Pod', namespace, name]);
  }
  const labels = { ...SEED_LABEL, app: 'web' };
  await clientset.appsV1().deployments('demo-shop').create({
    metadata: { name: 'web', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  });
  rows.push(['Deployment', 'demo-shop', 'web']);
  // The steps list pods right after: wait until the nodes run every seeded pod (the two
  // standalone ones per namespace and the Deployment's two), so the tables say Running.
  await waitFor('the seeded pods Running', async () => {
    const pods = await clientset.coreV1().pods('').list({ labelSelector: 'app.kubernetes.io/part-of=kgo-demo' });
    return pods.items.length === PODS.length + 2 && pods.items.every((p) => p.status?.phase === 'Running');
  });

  const crds = clientset.apiextensionsV1().customResourceDefinitions();
  await crds.create(widgetCrd);
  rows.push(['CustomResourceDefinition', '', widgetCrd.metadata?.name ?? '']);
  await waitForEstablished(() => crds.get(widgetCrd.metadata?.name ?? ''));
  const widgets = new DynamicClient(http).resource({ group: WIDGET_GROUP, version: 'v1', resource: 'widgets' }).namespace('demo-shop');
  await widgets.create({ apiVersion: `${WIDGET_GROUP}/v1`, kind: 'Widget', metadata: { name: 'gizmo', labels: SEED_LABEL }, spec: { size: 'small' } });
  rows.push(['Widget', 'demo-shop', 'gizmo']);
  return { headers: ['KIND', 'NAMESPACE', 'NAME'], rows };
}

/** Waits (bounded) until the CRD's `Established` condition is true: its resource is served from then on. */
function waitForEstablished(read: () => Promise<CustomResourceDefinition>): Promise<void> {
  return waitFor('the Widget CRD Established', async () => (await read()).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true);
}

/** Polls `check` every 100 ms until it holds, failing after {@link READY_TIMEOUT_MS}. */
async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`seeding: ${what} not reached after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The Pods of the protobuf scenarios: `items` realistic pods of a Deployment's ReplicaSet in a
 * namespace of their own — owner reference, labels, annotations, a container with ports, env,
 * resources, probes and a projected service-account volume, tolerations — as an app creates
 * them. No scheduler or kubelet runs, so they stay Pending with the status the server gives; the
 * server adds its own fields (uid, managedFields, timestamps, defaults), as it would for real pods.
 */
import { isAlreadyExists, type RestClient } from '@kgo/rest';
import { ensureNamespace } from './fixtures.ts';

/** Namespace of the Pods (2,000; another count gets `-<n>`). */
export const PODS_NAMESPACE = 'kgo-bench-pods';

/** The pods namespace for `items` Pods: another count (quick mode) gets a namespace of its own. */
export function podsNamespace(items: number): string {
  return items === 2000 ? PODS_NAMESPACE : `${PODS_NAMESPACE}-${items}`;
}

/** The pod `index` of the fixture, as a ReplicaSet's controller would create it. */
export function podManifest(index: number): Record<string, unknown> {
  const hash = '7f9c4b8d6';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-${hash}-${index.toString(36).padStart(5, '0')}`,
      generateName: `web-${hash}-`,
      labels: { app: 'web', 'pod-template-hash': hash, tier: 'frontend', 'app.kubernetes.io/version': '1.42.0' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T06:00:00Z', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: '0b4c9a7e-5f3d-4e2a-8b1c-6d7e8f9a0b1c', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
            defaultMode: 420,
          },
        },
        { name: 'config', configMap: { name: 'web-config', defaultMode: 420 } },
      ],
      containers: [
        {
          name: 'web',
          image: 'registry.example/shop/web:1.42.0',
          args: ['--port=8080', '--metrics-port=9090', '--log-format=json'],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
            { name: 'MODE', value: 'production' },
            { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1' } } },
          ],
          resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
          volumeMounts: [
            { name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
            { name: 'config', mountPath: '/etc/web' },
          ],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      securityContext: { runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
          ],
        },
      },
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
  };
}

/**
 * Creates the namespace, its `default` ServiceAccount (no controller-manager makes it) and Pods
 * until it holds `items` (concurrency 32; an earlier run's are reused). Throws unless it then
 * holds exactly `items`.
 */
export async function createPods(client: RestClient, items: number, log: (line: string) => void): Promise<void> {
  const namespace = podsNamespace(items);
  await ensureNamespace(client, namespace);
  const tolerant = async (resource: string, body: object) => {
    try {
      await client.post().namespace(namespace).resource(resource).body(body).do();
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  };
  await tolerant('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  const started = performance.now();
  let next = 0;
  let created = 0;
  const worker = async () => {
    for (let i = next++; i < items; i = next++) if (await tolerant('pods', podManifest(i))) created++;
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  if (created > 0) log(`created ${created} Pods in ${namespace} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const count = (await client.get().namespace(namespace).resource('pods').do()).into<{ items: unknown[] }>().items.length;
  if (count !== items) throw new Error(`${namespace} holds ${count} Pods, expected ${items}: delete its Pods (or use a fresh cluster) and run again`);
}

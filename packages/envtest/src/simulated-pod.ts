import { adminRequest } from './admin-request.ts';
import { EnvtestError } from './errors.ts';
import type { TestCluster } from './test-cluster.ts';

/** A pod on a cluster with nodes. */
export interface PodRef {
  namespace: string;
  name: string;
}

/** What {@link simulatePod} makes a pod's containers do. Each part is optional. */
export interface PodSimulation {
  /**
   * `kubectl port-forward pod/<name> <port>` reaches this local TCP address: pod port → target.
   * Ports not listed are refused.
   */
  ports?: Record<number, { host?: string; port: number }>;
  /**
   * `kubectl logs` (and `logs -f` with `follow`) reads this file, in CRI log format (one
   * {@link criLogLine} per line). Write to it while a `logs -f` is open and the lines arrive.
   */
  logs?: { file: string; follow?: boolean; previousFile?: string };
  /** `kubectl attach` streams what is appended to this CRI log file from the moment it attaches (kwok starts at its end). */
  attach?: { file: string };
  /** `kubectl exec` runs the command locally in this folder with these variables (default: the cluster's exec folder). */
  exec?: { workDir?: string; env?: Record<string, string> };
}

type Cluster = Pick<TestCluster, 'server' | 'caCert' | 'admin'>;

const GROUP_VERSION = 'kwok.x-k8s.io/v1alpha1';
const FIELD_MANAGER = 'kgo-envtest';
const LOGS_READY_TIMEOUT_MS = 15_000;

/**
 * Shapes what one pod's containers do on a cluster envtest started with `nodes`, through kwok's
 * per-pod resources (`PortForward`, `Logs`, `Attach`, `Exec`, named and namespaced as the pod),
 * applied server-side so calling again replaces them. kwok reads these resources through an
 * informer: with `logs`, this resolves once `GET …/log` answers from the file (so call it when
 * the pod is scheduled); for ports, attach and exec, the first connection may come a moment
 * before kwok has the resource and be refused: retry it.
 *
 * @example
 * ```ts
 * const server = http.createServer((_, res) => res.end('hello')).listen(0, '127.0.0.1');
 * await simulatePod(cluster, { namespace, name: 'web-0' }, { ports: { 80: { port: server.address().port } } });
 * // kubectl port-forward pod/web-0 8080:80  →  http://127.0.0.1:8080 answers "hello"
 * ```
 */
export async function simulatePod(cluster: Cluster, pod: PodRef, simulation: PodSimulation): Promise<void> {
  const specs: [kind: string, plural: string, spec: object][] = [];
  if (simulation.ports) {
    const forwards = Object.entries(simulation.ports).map(([port, target]) => ({
      ports: [Number(port)],
      target: { address: target.host ?? '127.0.0.1', port: target.port },
    }));
    specs.push(['PortForward', 'portforwards', { forwards }]);
  }
  if (simulation.logs) {
    const { file, follow = false, previousFile } = simulation.logs;
    specs.push(['Logs', 'logs', { logs: [{ logsFile: file, follow, ...(previousFile ? { previousLogsFile: previousFile } : {}) }] }]);
  }
  if (simulation.attach) specs.push(['Attach', 'attaches', { attaches: [{ logsFile: simulation.attach.file }] }]);
  if (simulation.exec) {
    const envs = Object.entries(simulation.exec.env ?? {}).map(([name, value]) => ({ name, value }));
    specs.push(['Exec', 'execs', { execs: [{ local: { ...(simulation.exec.workDir ? { workDir: simulation.exec.workDir } : {}), envs } }] }]);
  }
  for (const [kind, plural, spec] of specs) {
    const url = `${cluster.server}/apis/${GROUP_VERSION}/namespaces/${encodeURIComponent(pod.namespace)}/${plural}/${encodeURIComponent(pod.name)}?fieldManager=${FIELD_MANAGER}&force=true`;
    const body = JSON.stringify({ apiVersion: GROUP_VERSION, kind, metadata: { name: pod.name, namespace: pod.namespace }, spec });
    const response = await adminRequest(url, credentials(cluster), { method: 'PATCH', body, contentType: 'application/apply-patch+yaml' });
    if (response.status !== 200 && response.status !== 201) {
      throw new EnvtestError(
        `simulatePod: applying kwok's ${kind} for pod ${pod.namespace}/${pod.name} failed with ${response.status}: ${response.body.slice(0, 300)}. ` +
          'Was the cluster started with nodes (startControlPlane({ nodes: 1 }) or kgo-envtest run --nodes 1)?',
      );
    }
  }
  if (simulation.logs) await logsServed(cluster, pod);
}

/** Waits until kube-apiserver answers the pod's log from kwok (kwok has seen the `Logs` resource). */
async function logsServed(cluster: Cluster, pod: PodRef): Promise<void> {
  const url = `${cluster.server}/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/log?limitBytes=1`;
  const deadline = Date.now() + LOGS_READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const response = await adminRequest(url, credentials(cluster)).catch((error: Error) => ({ status: 0, body: error.message }));
    if (response.status === 200) return;
    last = `${response.status} ${response.body.slice(0, 300)}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new EnvtestError(`simulatePod: the logs of pod ${pod.namespace}/${pod.name} were not served from its file within ${LOGS_READY_TIMEOUT_MS / 1000} s (last answer: ${last}). Is the pod scheduled and Running?`);
}

function credentials(cluster: Cluster): { ca: string; cert: string; key: string } {
  const { cert, key } = cluster.admin;
  if (!cert || !key) throw new EnvtestError('simulatePod needs a cluster envtest started (admin by client certificate).');
  return { ca: cluster.caCert, cert, key };
}

/**
 * One line of a container log in the CRI format kwok reads (`<RFC 3339 time> <stream> F <text>`),
 * newline included: append these to the file given to {@link simulatePod}'s `logs`.
 */
export function criLogLine(text: string, options: { stream?: 'stdout' | 'stderr'; time?: Date } = {}): string {
  const { stream = 'stdout', time = new Date() } = options;
  if (text.includes('\n')) throw new EnvtestError('criLogLine: one line at a time (the text holds a newline).');
  return `${time.toISOString()} ${stream} F ${text}\n`;
}

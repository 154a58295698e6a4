import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AdminCredentials, adminRequest } from './admin-request.ts';
import type { NodeBinaries } from './binaries.ts';
import { type CertificateFiles, issueCertificate } from './certificates.ts';
import { EnvtestError } from './errors.ts';
import { writeKubeconfig } from './kubeconfig-file.ts';
import { KWOK_CRD_KINDS, writeKwokConfig } from './kwok-config.ts';
import { SupervisedProcess } from './supervised-process.ts';

/** The simulated nodes of a cluster started with `nodes` (see `startControlPlane`). */
export interface ClusterNodes {
  /** Node names: `kwok-node-0`, `kwok-node-1`, … */
  names: string[];
  /** Where kwok serves the kubelet API for every node (`https://127.0.0.1:<port>`). */
  kubeletServer: string;
  /** The folder every `kubectl exec` runs in (commands run as local processes of the test's user). */
  execWorkDir: string;
}

/** Client certificates and the serving certificate the node components use, made before kube-apiserver starts. */
export interface NodeCertificates {
  /** kube-apiserver's client certificate towards the kubelets (kwok). */
  kubeletClient: CertificateFiles;
  /** Serving certificate of kwok, kube-controller-manager and kube-scheduler (127.0.0.1, localhost). */
  serving: CertificateFiles;
  controllerManager: CertificateFiles;
  scheduler: CertificateFiles;
  kwok: CertificateFiles;
}

/** The label and annotation kwok manages nodes by; nodes without it are left alone. */
const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/**
 * Issues the node components' certificates. Each component has its own user, as on a kubeadm
 * cluster: `system:kube-scheduler` (RBAC's bootstrap role applies); the controller-manager's
 * `system:kube-controller-manager` is also in `system:masters`, since its controllers run as
 * that one user (see `--use-service-account-credentials` below); kwok acts for every node and
 * needs more than the Node authorizer would give one kubelet, so it is in `system:masters` too.
 */
export async function issueNodeCertificates(dir: string, ca: CertificateFiles): Promise<NodeCertificates> {
  const client = (name: string, commonName: string, organizations: string[] = []) =>
    issueCertificate(dir, name, ca, { commonName, organizations, usage: 'client' });
  // One after another: openssl's `-CAcreateserial` rewrites the CA's serial file on every call.
  const kubeletClient = await client('kubelet-client', 'kube-apiserver-kubelet-client', ['system:masters']);
  const serving = await issueCertificate(dir, 'node-components', ca, {
    commonName: 'kgo-envtest-node-components',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const controllerManager = await client('kube-controller-manager', 'system:kube-controller-manager', ['system:masters']);
  const scheduler = await client('kube-scheduler', 'system:kube-scheduler');
  const kwok = await client('kwok', 'kgo-envtest-kwok', ['system:masters']);
  return { kubeletClient, serving, controllerManager, scheduler, kwok };
}

/**
 * kube-apiserver's flags for a cluster with nodes: it verifies the kubelets' (kwok's) serving
 * certificate against the envtest CA — TLS verification stays on — and authenticates to them;
 * the ServiceAccount admission plugin stays on, since the controller-manager creates the
 * `default` service account of each namespace.
 */
export function nodeApiserverFlags(ca: CertificateFiles, certificates: NodeCertificates): string[] {
  return [
    `--kubelet-certificate-authority=${ca.certFile}`,
    `--kubelet-client-certificate=${certificates.kubeletClient.certFile}`,
    `--kubelet-client-key=${certificates.kubeletClient.keyFile}`,
    '--kubelet-preferred-address-types=InternalIP',
  ];
}

/** What {@link startNodes} needs from the control plane it joins. */
export interface StartNodesInputs {
  count: number;
  binaries: NodeBinaries;
  dataDir: string;
  server: string;
  ca: CertificateFiles;
  admin: AdminCredentials;
  certificates: NodeCertificates;
  serviceAccountKey: string;
  /** Started processes are appended here, so the control plane stops them (in reverse order). */
  processes: SupervisedProcess[];
  freePort: () => Promise<number>;
  deadline: number;
}

/**
 * Installs kwok's per-pod CRDs, starts kube-controller-manager, kube-scheduler and kwok, creates
 * `count` nodes for kwok to manage, and resolves once the cluster can run a pod: every node
 * Ready and untainted, the scheduler and controller-manager healthy, and the `default` service
 * account created (proof the controllers run).
 */
export async function startNodes(inputs: StartNodesInputs): Promise<ClusterNodes> {
  const { dataDir, server, ca, admin, certificates, binaries, deadline } = inputs;
  await installKwokCrds(server, admin, binaries.kwokCrds, deadline);

  const cluster = { name: 'envtest', server, caCert: ca.cert };
  const kubeconfig = (name: string, cert: CertificateFiles) =>
    writeKubeconfig(join(dataDir, `${name}.kubeconfig`), cluster, { name, clientCert: cert.cert, clientKey: cert.key });
  const serving = [`--tls-cert-file=${certificates.serving.certFile}`, `--tls-private-key-file=${certificates.serving.keyFile}`];

  const [controllerManagerPort, schedulerPort, kwokPort] = [await inputs.freePort(), await inputs.freePort(), await inputs.freePort()];
  const controllerManagerConfig = await kubeconfig('kube-controller-manager', certificates.controllerManager);
  const controllerManager = new SupervisedProcess(
    'kube-controller-manager',
    binaries.kubeControllerManager,
    [
      `--kubeconfig=${controllerManagerConfig}`,
      `--authentication-kubeconfig=${controllerManagerConfig}`,
      `--authorization-kubeconfig=${controllerManagerConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${controllerManagerPort}`,
      ...serving,
      // One controller-manager: no lease to wait for.
      '--leader-elect=false',
      // kubeadm gives each controller a service account of its own; then each one, started in
      // turn, waits for its token: 5.6 s more per start (median 10.6 s against 5.0 s). Tests
      // exercise what the controllers do, not their RBAC: one identity, as kwokctl runs it.
      '--use-service-account-credentials=false',
      `--service-account-private-key-file=${inputs.serviceAccountKey}`,
      `--root-ca-file=${ca.certFile}`,
      `--cluster-signing-cert-file=${ca.certFile}`,
      `--cluster-signing-key-file=${ca.keyFile}`,
    ],
    join(dataDir, 'kube-controller-manager.log'),
  );
  inputs.processes.push(controllerManager);

  const schedulerConfig = await kubeconfig('kube-scheduler', certificates.scheduler);
  const scheduler = new SupervisedProcess(
    'kube-scheduler',
    binaries.kubeScheduler,
    [
      `--kubeconfig=${schedulerConfig}`,
      `--authentication-kubeconfig=${schedulerConfig}`,
      `--authorization-kubeconfig=${schedulerConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      ...serving,
      '--leader-elect=false',
    ],
    join(dataDir, 'kube-scheduler.log'),
  );
  inputs.processes.push(scheduler);

  const execWorkDir = join(dataDir, 'exec');
  const kwokHome = join(dataDir, 'kwok-home');
  await mkdir(execWorkDir, { recursive: true });
  await mkdir(kwokHome, { recursive: true });
  const kwokConfig = await writeKwokConfig(join(dataDir, 'kwok.yaml'), { stagesFile: binaries.kwokStages, execWorkDir });
  const kwokKubeconfig = await kubeconfig('kwok', certificates.kwok);
  const kubeletServer = `https://127.0.0.1:${kwokPort}`;
  const kwok = new SupervisedProcess(
    'kwok',
    binaries.kwok,
    [
      `--kubeconfig=${kwokKubeconfig}`,
      `--config=${kwokConfig}`,
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      '--node-ip=127.0.0.1',
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      ...serving,
      // Pod IPs away from the service range (10.0.0.0/24).
      '--cidr=10.244.0.1/16',
      '--node-lease-duration-seconds=40',
      `--enable-crds=${KWOK_CRD_KINDS.join(',')}`,
    ],
    join(dataDir, 'kwok.log'),
    // kwok also reads ~/.kwok/kwok.yaml when it exists: a home of its own keeps a user's out.
    // Its working folder is where an exec runs when a pod's own Exec names none.
    { env: { ...process.env, HOME: kwokHome }, cwd: execWorkDir },
  );
  inputs.processes.push(kwok);

  const names = Array.from({ length: inputs.count }, (_, index) => `kwok-node-${index}`);
  await Promise.all(names.map((name) => createNode(server, admin, name)));

  // Their serving certificate is signed by the cluster's CA: the admin's credentials verify it.
  const healthy = (process: SupervisedProcess, url: string) =>
    process.waitUntilReady(`${process.name} at ${url}`, deadline, async () => (await adminRequest(url, admin)).status === 200);
  await Promise.all([
    healthy(controllerManager, `https://127.0.0.1:${controllerManagerPort}/healthz`),
    healthy(scheduler, `https://127.0.0.1:${schedulerPort}/healthz`),
    healthy(kwok, `${kubeletServer}/healthz`),
  ]);
  await kwok.waitUntilReady(`${names.length} node(s) Ready without taints`, deadline, async () => nodesReady(server, admin, names));
  await controllerManager.waitUntilReady('the default service account (created by kube-controller-manager)', deadline, async () => {
    const response = await adminRequest(`${server}/api/v1/namespaces/default/serviceaccounts/default`, admin);
    return response.status === 200;
  });
  return { names, kubeletServer, execWorkDir };
}

/** Creates kwok's per-pod CRDs (kube-apiserver takes YAML bodies) and waits until they are served. */
async function installKwokCrds(server: string, admin: AdminCredentials, crdsDir: string, deadline: number): Promise<void> {
  const files = (await readdir(crdsDir)).filter((file) => file.endsWith('.yaml')).sort();
  const plurals: string[] = [];
  for (const file of files) {
    const body = await readFile(join(crdsDir, file), 'utf8');
    const response = await adminRequest(`${server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, admin, {
      method: 'POST',
      body,
      contentType: 'application/yaml',
    });
    if (response.status !== 201 && response.status !== 409) {
      throw new EnvtestError(`Installing kwok's CRD ${join(crdsDir, file)} failed with ${response.status}: ${response.body.slice(0, 500)}`);
    }
    const plural = /^\s+plural:\s*(\S+)/m.exec(body)?.[1];
    if (plural) plurals.push(plural);
  }
  while (Date.now() < deadline) {
    const response = await adminRequest(`${server}/apis/kwok.x-k8s.io/v1alpha1`, admin).catch(() => undefined);
    if (response?.status === 200) {
      const served = (JSON.parse(response.body) as { resources: { name: string }[] }).resources.map((r) => r.name);
      if (plurals.every((plural) => served.includes(plural))) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new EnvtestError(`Timed out waiting for kube-apiserver at ${server} to serve kwok's CRDs (${plurals.join(', ')}).`);
}

async function createNode(server: string, admin: AdminCredentials, name: string): Promise<void> {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
  };
  const response = await adminRequest(`${server}/api/v1/nodes`, admin, { method: 'POST', body: JSON.stringify(node) });
  if (response.status !== 201) throw new EnvtestError(`Creating node ${name} failed with ${response.status}: ${response.body.slice(0, 500)}`);
}

interface NodeList {
  items: { metadata: { name: string }; spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** Every node Ready and free of the taints the node lifecycle controller sets until it has seen it Ready. */
async function nodesReady(server: string, admin: AdminCredentials, names: string[]): Promise<boolean> {
  const response = await adminRequest(`${server}/api/v1/nodes`, admin);
  if (response.status !== 200) return false;
  const nodes = (JSON.parse(response.body) as NodeList).items;
  return names.every((name) => {
    const node = nodes.find((candidate) => candidate.metadata.name === name);
    const ready = node?.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
    const tainted = node?.spec?.taints?.some((taint) => taint.key.startsWith('node.kubernetes.io/'));
    return ready === true && !tainted;
  });
}

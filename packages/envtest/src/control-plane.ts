import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdminCredentials, adminRequest } from './admin-request.ts';
import { type ControlPlaneBinaries, type ResolveBinariesOptions, resolveBinaries } from './binaries.ts';
import { type CertificateFiles, createCertificateAuthority, createServiceAccountKey, issueCertificate } from './certificates.ts';
import { EnvtestError } from './errors.ts';
import { type KubeconfigUser, writeKubeconfig } from './kubeconfig-file.ts';
import { type ClusterNodes, issueNodeCertificates, nodeApiserverFlags, startNodes } from './nodes.ts';
import { freePort } from './ports.ts';
import { SupervisedProcess } from './supervised-process.ts';

/** Options of {@link startControlPlane}. */
export interface StartControlPlaneOptions extends Omit<ResolveBinariesOptions, 'nodes'> {
  /**
   * Simulated nodes to run workloads on. With a count above 0, envtest also starts
   * kube-scheduler, kube-controller-manager and kwok (building them on first use): pods are
   * scheduled and go `Running`, Deployments roll out, namespaces finish deleting, owner references
   * cascade, and exec, port-forward and logs reach local processes, ports and files. Default: 0,
   * etcd and kube-apiserver alone.
   */
  nodes?: number;
  /** How long to wait for the servers (and nodes) to become ready. Default: 60 s. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags (`--name=value`), appended after envtest's own. */
  apiserverFlags?: string[];
  /**
   * Keep the data folder (logs, certificates, kubeconfigs) after stop(). Default: false. A start
   * that fails keeps it anyway — its error names the logs to read — unless this is set to false.
   */
  keepDataDir?: boolean;
  /** Where free loopback ports come from. Default: ask the kernel ({@link freePort}). For tests. */
  freePort?: () => Promise<number>;
}

/** The admin user: authenticated by client certificate, member of `system:masters`. */
export interface AdminUser {
  name: string;
  groups: string[];
  /** PEM client certificate and key. */
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** A kubeconfig file for this user. */
  kubeconfig: string;
}

/** The token user: authenticated by a static bearer token, with no RBAC grants beyond discovery and self-review. */
export interface TokenUser {
  name: string;
  uid: string;
  groups: string[];
  token: string;
  /** A kubeconfig file for this user. */
  kubeconfig: string;
}

/** A running etcd + kube-apiserver on loopback. Stop it with {@link ControlPlane.stop}. */
export interface ControlPlane {
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** The server's `/version` gitVersion, e.g. `v1.37.2`. */
  gitVersion: string;
  /** PEM of the CA that signed the serving certificate and the client certificates. */
  caCert: string;
  caFile: string;
  /** The CA's private key file: sign more client certificates with `issueClientCertificate`. */
  caKeyFile: string;
  /** DNS names in the serving certificate (for tls-server-name tests). */
  servingDnsNames: string[];
  admin: AdminUser;
  user: TokenUser;
  /** Temporary folder with certificates, kubeconfigs, etcd data and the logs of both servers. */
  dataDir: string;
  binaries: ControlPlaneBinaries;
  /** The simulated nodes, when started with `nodes` (else `undefined`). */
  nodes: ClusterNodes | undefined;
  /** Milliseconds from the call to a ready API server — and ready nodes, with `nodes` (binary lookup and any build included). */
  startupMs: number;
  /**
   * Stops kube-apiserver and starts it again on the same port, over the same etcd, with the same
   * certificates and users; resolves once it is ready. What a client sees when its API server
   * restarts: open connections and watches end, new ones are refused while it is down (`downMs`,
   * default 0, plus its own shutdown and start), and the new server's watch cache starts afresh.
   * Stored objects survive (they live in etcd).
   */
  restartApiServer(options?: { downMs?: number }): Promise<void>;
  /** Stops every server and removes the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

const SERVING_DNS_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];

/**
 * Starts etcd and kube-apiserver on free loopback ports with fresh certificates, an admin user
 * (client certificate, `system:masters`) and a token user, RBAC authorization, and a kubeconfig
 * for each user.
 */
export async function startControlPlane(options: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const started = Date.now();
  const nodes = options.nodes ?? 0;
  if (!Number.isInteger(nodes) || nodes < 0) throw new EnvtestError(`startControlPlane: nodes must be a whole number ≥ 0, got ${String(options.nodes)}.`);
  const binaries = await resolveBinaries({ ...options, nodes: nodes > 0 });
  // Free ports are found, released, then bound by the servers: another process can take one in
  // between. That start fails with "address already in use"; a new start with new ports fixes it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binaries, options, started);
    } catch (error) {
      if (attempt >= PORT_RACE_ATTEMPTS || !/address already in use/i.test((error as Error).message)) throw error;
    }
  }
}

const PORT_RACE_ATTEMPTS = 3;

async function startOnce(binaries: ControlPlaneBinaries, options: StartControlPlaneOptions, started: number): Promise<ControlPlane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kgo-envtest-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const processes: SupervisedProcess[] = [];
  const stopProcesses = async () => {
    for (const process of processes.splice(0).reverse()) await process.stop();
  };
  const stop = async () => {
    await stopProcesses();
    if (!options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const ca = await createCertificateAuthority(dataDir);
    const serving = await issueCertificate(dataDir, 'serving', ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: SERVING_DNS_NAMES,
      ipAddresses: ['127.0.0.1', '::1'],
    });
    const adminCert = await issueCertificate(dataDir, 'admin', ca, {
      commonName: 'kgo-admin',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const serviceAccountKey = await createServiceAccountKey(dataDir);
    const nodeCertificates = options.nodes ? await issueNodeCertificates(dataDir, ca) : undefined;
    const user = { name: 'kgo-user', uid: 'kgo-user-uid', groups: ['kgo:testers'], token: randomBytes(24).toString('hex') };
    const tokenFile = join(dataDir, 'tokens.csv');
    await writeFile(tokenFile, `${user.token},${user.name},${user.uid},"${user.groups.join(',')}"\n`, { mode: 0o600 });

    const ports = options.freePort ?? freePort;
    const etcd = await startEtcd(binaries, dataDir, processes, readyTimeoutMs, ports);
    const inputs: ApiserverInputs = {
      etcd,
      ca,
      serving,
      serviceAccountKey,
      tokenFile,
      nodeFlags: nodeCertificates ? nodeApiserverFlags(ca, nodeCertificates) : undefined,
      extraFlags: options.apiserverFlags ?? [],
    };
    const port = await ports();
    const server = `https://127.0.0.1:${port}`;
    const admin: AdminCredentials = { ca: ca.cert, cert: adminCert.cert, key: adminCert.key };
    let apiserver = startApiserver(binaries, dataDir, port, inputs, 'kube-apiserver.log');
    processes.push(apiserver);
    const ready = (process: SupervisedProcess) =>
      process.waitUntilReady(`kube-apiserver at ${server}/readyz`, Date.now() + readyTimeoutMs, async () => {
        const response = await adminRequest(`${server}/readyz`, admin);
        return response.status === 200;
      });
    await ready(apiserver);
    const clusterNodes =
      nodeCertificates && binaries.nodes
        ? await startNodes({
            count: options.nodes ?? 0,
            binaries: binaries.nodes,
            dataDir,
            server,
            ca,
            admin,
            certificates: nodeCertificates,
            serviceAccountKey,
            processes,
            freePort: ports,
            deadline: Date.now() + readyTimeoutMs,
          })
        : undefined;
    let restarts = 0;
    const restartApiServer = async ({ downMs = 0 }: { downMs?: number } = {}) => {
      const index = processes.indexOf(apiserver);
      if (index < 0) throw new EnvtestError(`The control plane at ${server} is stopped; start a new one instead of restarting it.`);
      await apiserver.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      restarts++;
      apiserver = startApiserver(binaries, dataDir, port, inputs, `kube-apiserver.restart-${restarts}.log`);
      processes[index] = apiserver;
      await ready(apiserver);
    };
    const version = await adminRequest(`${server}/version`, admin);
    const gitVersion = (JSON.parse(version.body) as { gitVersion: string }).gitVersion;

    const cluster = { name: 'envtest', server, caCert: ca.cert };
    const adminUser: KubeconfigUser = { name: 'kgo-admin', clientCert: adminCert.cert, clientKey: adminCert.key };
    const tokenUser: KubeconfigUser = { name: user.name, token: user.token };
    const adminKubeconfig = await writeKubeconfig(join(dataDir, 'admin.kubeconfig'), cluster, adminUser);
    const userKubeconfig = await writeKubeconfig(join(dataDir, 'user.kubeconfig'), cluster, tokenUser);

    return {
      server,
      gitVersion,
      caCert: ca.cert,
      caFile: ca.certFile,
      caKeyFile: ca.keyFile,
      servingDnsNames: SERVING_DNS_NAMES,
      admin: { name: 'kgo-admin', groups: ['system:masters'], ...adminCert, kubeconfig: adminKubeconfig },
      user: { ...user, kubeconfig: userKubeconfig },
      dataDir,
      binaries,
      nodes: clusterNodes,
      startupMs: Date.now() - started,
      restartApiServer,
      stop,
    };
  } catch (error) {
    // A failed start keeps its folder, so the logs its error names can be read; a lost port
    // race is retried with a fresh folder, so that one goes.
    await stopProcesses().catch(() => {});
    if (options.keepDataDir === false || /address already in use/i.test((error as Error).message)) {
      await rm(dataDir, { recursive: true, force: true });
    } else if (error instanceof EnvtestError) {
      error.message += `\n(The logs of every server of this start are kept in ${dataDir}.)`;
    }
    throw error;
  }
}

async function startEtcd(
  binaries: ControlPlaneBinaries,
  dataDir: string,
  processes: SupervisedProcess[],
  readyTimeoutMs: number,
  ports: () => Promise<number>,
): Promise<string> {
  const [clientPort, peerPort] = [await ports(), await ports()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const etcd = new SupervisedProcess(
    'etcd',
    binaries.etcd,
    [
      `--data-dir=${join(dataDir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=default=${peer}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    join(dataDir, 'etcd.log'),
  );
  processes.push(etcd);
  await etcd.waitUntilReady(`etcd at ${client}/health`, Date.now() + readyTimeoutMs, async () => {
    const response = await fetch(`${client}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  });
  return client;
}

interface ApiserverInputs {
  etcd: string;
  ca: CertificateFiles;
  serving: CertificateFiles;
  serviceAccountKey: string;
  tokenFile: string;
  /** With nodes: how to reach and verify the kubelets (kwok); without, no ServiceAccount admission. */
  nodeFlags: string[] | undefined;
  extraFlags: string[];
}

function startApiserver(
  binaries: ControlPlaneBinaries,
  dataDir: string,
  port: number,
  inputs: ApiserverInputs,
  logName: string,
): SupervisedProcess {
  return new SupervisedProcess(
    'kube-apiserver',
    binaries.kubeApiserver,
    [
      `--etcd-servers=${inputs.etcd}`,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // The kubernetes Service endpoints may not point at loopback; nothing here needs them.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(dataDir, 'apiserver-certs')}`,
      `--tls-cert-file=${inputs.serving.certFile}`,
      `--tls-private-key-file=${inputs.serving.keyFile}`,
      `--client-ca-file=${inputs.ca.certFile}`,
      `--token-auth-file=${inputs.tokenFile}`,
      // RBAC, so the token user is refused (403) what it was not granted, as on a real cluster.
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      `--service-account-issuer=https://kubernetes.default.svc`,
      `--service-account-key-file=${inputs.serviceAccountKey}`,
      `--service-account-signing-key-file=${inputs.serviceAccountKey}`,
      // Without nodes no controller-manager runs, so nothing would create the default service
      // account pods need; with nodes, the kubelet flags instead.
      ...(inputs.nodeFlags ?? ['--disable-admission-plugins=ServiceAccount']),
      ...inputs.extraFlags,
    ],
    join(dataDir, logName),
  );
}

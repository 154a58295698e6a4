import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ControlPlane } from './control-plane.ts';
import { EnvtestError } from './errors.ts';

/**
 * What an integration test needs to reach a cluster: plain, JSON-serializable connection data,
 * so that packages below `@kgo/kubeconfig` (such as `@kgo/rest`) can test without parsing
 * kubeconfig files.
 */
export interface TestCluster {
  server: string;
  /** PEM CA bundle that verifies the server. */
  caCert: string;
  /** A DNS name the serving certificate carries (for tls-server-name tests). */
  servingDnsName?: string | undefined;
  /** `gitVersion` from `/version`, when known. */
  gitVersion?: string | undefined;
  /** Credentials of a user allowed to do everything (envtest: client certificate in system:masters). */
  admin: { name?: string; cert?: string; key?: string; token?: string };
  /** A kubeconfig file for the admin user. */
  adminKubeconfig: string;
  /** A bearer-token user without RBAC grants, for 403 tests. Only present for envtest clusters. */
  user?: { name: string; uid: string; groups: string[]; token: string; kubeconfig: string } | undefined;
  /** Files of the CA that signs client certificates (envtest clusters only): for `issueClientCertificate`. */
  caFile?: string | undefined;
  caKeyFile?: string | undefined;
  /** True when envtest started this cluster (its binaries, version and users are known). */
  managed: boolean;
  /**
   * Names of the simulated nodes, when envtest started the cluster with `nodes` (pods run,
   * controllers act); absent for a plain control plane. Unknown (absent) for an existing cluster.
   */
  nodes?: string[] | undefined;
}

/** Describes a running envtest control plane as a {@link TestCluster}. */
export function describeControlPlane(plane: ControlPlane): TestCluster {
  return {
    server: plane.server,
    caCert: plane.caCert,
    caFile: plane.caFile,
    caKeyFile: plane.caKeyFile,
    servingDnsName: plane.servingDnsNames[1],
    gitVersion: plane.gitVersion,
    admin: { name: plane.admin.name, cert: plane.admin.cert, key: plane.admin.key },
    adminKubeconfig: plane.admin.kubeconfig,
    user: {
      name: plane.user.name,
      uid: plane.user.uid,
      groups: plane.user.groups,
      token: plane.user.token,
      kubeconfig: plane.user.kubeconfig,
    },
    managed: true,
    ...(plane.nodes ? { nodes: plane.nodes.names } : {}),
  };
}

/** Writes a {@link TestCluster} description (mode 0600: it holds credentials). */
export async function writeTestCluster(path: string, cluster: TestCluster): Promise<void> {
  await writeFile(path, JSON.stringify(cluster), { mode: 0o600 });
}

/** Reads a {@link TestCluster} written by {@link writeTestCluster} (the `KGO_TEST_CLUSTER` file). */
export async function readTestCluster(path: string): Promise<TestCluster> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as TestCluster;
  } catch (error) {
    throw new EnvtestError(`KGO_TEST_CLUSTER is ${path}, which could not be read as a test cluster description: ${(error as Error).message}`);
  }
}

interface FlatKubeconfig {
  clusters?: { cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
}

/**
 * Describes the current context of an existing kubeconfig (`KGO_TEST_KUBECONFIG`) by asking
 * kubectl to resolve it, so any kubeconfig kubectl understands works here.
 */
export async function describeKubeconfig(path: string): Promise<TestCluster> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('kubectl', ['config', 'view', '--minify', '--flatten', '--raw', '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: path },
    }));
  } catch (error) {
    throw new EnvtestError(
      `KGO_TEST_KUBECONFIG is ${path}, but \`kubectl config view\` could not resolve it (${(error as Error).message.split('\n')[0]}). ` +
        'Install kubectl, or unset KGO_TEST_KUBECONFIG to let envtest start a control plane.',
    );
  }
  const config = JSON.parse(stdout) as FlatKubeconfig;
  const cluster = config.clusters?.[0]?.cluster;
  const user = config.users?.[0];
  if (!cluster) throw new EnvtestError(`KGO_TEST_KUBECONFIG is ${path}, but its current context names no cluster.`);
  const decode = (data?: string) => (data ? Buffer.from(data, 'base64').toString('utf8') : undefined);
  const admin: TestCluster['admin'] = { name: user?.name };
  const cert = decode(user?.user['client-certificate-data']);
  const key = decode(user?.user['client-key-data']);
  if (cert) admin.cert = cert;
  if (key) admin.key = key;
  if (user?.user.token) admin.token = user.user.token;
  return {
    server: cluster.server,
    caCert: decode(cluster['certificate-authority-data']) ?? '',
    admin,
    adminKubeconfig: path,
    managed: false,
  };
}

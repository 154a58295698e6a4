import {
  type ControlPlane,
  describeControlPlane,
  describeKubeconfig,
  readTestCluster,
  startControlPlane,
  type TestCluster,
} from '@kgo/envtest';

/**
 * Everything a benchmark client needs to reach the API server: the server URL, the pinned CA,
 * and the admin's client certificate. JSON-serializable, so the list workers can read it from a
 * file.
 */
export interface BenchConnection {
  server: string;
  /** PEM CA bundle that verifies the server (pinned; verification stays on). */
  caCert: string;
  /** PEM client certificate and key of a user allowed to create namespaces and ConfigMaps. */
  cert: string;
  key: string;
  gitVersion: string | undefined;
}

export interface BenchCluster {
  connection: BenchConnection;
  /** Where the cluster came from (for the report). */
  source: 'envtest' | 'KGO_TEST_CLUSTER' | 'KGO_TEST_KUBECONFIG';
  /** True when this run started the control plane (and so may do anything to it). */
  managed: boolean;
  /** envtest's start-up time (binary lookup included), when this run started it. */
  startupMs: number | undefined;
  /** Where envtest's binaries came from (cache, build, …). */
  binariesSource: string | undefined;
  stop(): Promise<void>;
}

/**
 * The cluster to benchmark against: the one named by `KGO_TEST_CLUSTER` (a file written by
 * `kgo-envtest run`) or `KGO_TEST_KUBECONFIG`, else a fresh envtest control plane.
 */
export async function openCluster(log: (line: string) => void): Promise<BenchCluster> {
  let described: TestCluster;
  let source: BenchCluster['source'];
  let plane: ControlPlane | undefined;
  if (process.env.KGO_TEST_CLUSTER) {
    described = await readTestCluster(process.env.KGO_TEST_CLUSTER);
    source = 'KGO_TEST_CLUSTER';
  } else if (process.env.KGO_TEST_KUBECONFIG) {
    described = await describeKubeconfig(process.env.KGO_TEST_KUBECONFIG);
    source = 'KGO_TEST_KUBECONFIG';
  } else {
    plane = await startControlPlane({ log: (line) => log(`[envtest] ${line}`) });
    log(`[envtest] ${plane.gitVersion} ready at ${plane.server} in ${plane.startupMs} ms (binaries: ${plane.binaries.source})`);
    described = describeControlPlane(plane);
    source = 'envtest';
  }
  const { cert, key } = described.admin;
  if (!cert || !key) {
    await plane?.stop();
    throw new Error(
      `the benchmark authenticates every client with a client certificate, but the ${source} cluster's user has none ` +
        '(unset KGO_TEST_CLUSTER / KGO_TEST_KUBECONFIG to let envtest start a control plane)',
    );
  }
  if (!described.caCert) {
    await plane?.stop();
    throw new Error(`the ${source} cluster has no CA certificate: the benchmark pins the CA and never skips verification`);
  }
  return {
    connection: { server: described.server, caCert: described.caCert, cert, key, gitVersion: described.gitVersion },
    source,
    managed: plane !== undefined || described.managed,
    startupMs: plane?.startupMs,
    binariesSource: plane ? String(plane.binaries.source) : undefined,
    stop: async () => {
      await plane?.stop();
    },
  };
}

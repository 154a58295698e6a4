import { startControlPlane } from '@kgo/envtest';
import { loadConfig } from '@kgo/kubeconfig';
import { HttpClient, type RestConfig, redactUrl, RestClient } from '@kgo/rest';
import type { Progress } from './progress.ts';
import { seed } from './seed.ts';
import type { Table } from './table.ts';

/** The cluster the demo talks to. */
export interface Target {
  /** One line saying which cluster: the context and server, or the embedded control plane. */
  description: string;
  /** True for the embedded control plane, which the demo seeded and may change freely. */
  embedded: boolean;
  config: RestConfig;
  /** kube-apiserver's `gitVersion`. */
  gitVersion: string;
  /** What the demo seeded (embedded control plane only). */
  seeded?: Table | undefined;
  /** Stops what the demo started (the embedded control plane); nothing for a kubeconfig context. */
  stop(): Promise<void>;
}

/** Options of {@link chooseTarget}. */
export interface ChooseTargetOptions {
  /** Skip the kubeconfig: use the embedded control plane (`--envtest`). */
  envtest: boolean;
  progress: Progress;
  /** Says why a target was chosen or passed over. */
  say(line: string): void;
  /** Called with the control plane's stop function as soon as it runs (for Ctrl-C). */
  onStarted?(stop: () => Promise<void>): void;
}

/** Simulated nodes of the embedded cluster. */
const EMBEDDED_NODES = 2;

/** How long the reachability check of a kubeconfig context waits. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The user's current kubeconfig context (KUBECONFIG, else ~/.kube/config, else in-cluster),
 * when there is one and its server answers `/version` with these credentials; otherwise an
 * embedded @kgo/envtest control plane, started and seeded here.
 */
export async function chooseTarget(options: ChooseTargetOptions): Promise<Target> {
  if (options.envtest) {
    options.say('--envtest: using the embedded control plane, whatever the kubeconfig says');
  } else {
    const current = await currentContext();
    if ('target' in current) return current.target;
    options.say(`${current.reason}; using the embedded control plane instead`);
  }
  return startEmbedded(options);
}

async function currentContext(): Promise<{ target: Target } | { reason: string }> {
  let resolved;
  try {
    resolved = await loadConfig();
  } catch (error) {
    return { reason: `no usable kubeconfig: ${firstLine(error)}` };
  }
  const { config } = resolved;
  const where = resolved.source === 'in-cluster' ? 'in-cluster config' : `context "${resolved.contextName}"`;
  const server = redactUrl(config.host);
  try {
    const gitVersion = await probeVersion(config);
    return {
      target: {
        description: `your ${where} at ${server}, kube-apiserver ${gitVersion} (read-only: the demo changes nothing outside a namespace it creates and deletes)`,
        embedded: false,
        config,
        gitVersion,
        stop: async () => {},
      },
    };
  } catch (error) {
    return { reason: `${where} at ${server} is not reachable: ${firstLine(error)}` };
  }
}

/** `GET /version` once, without retries, bounded by {@link PROBE_TIMEOUT_MS}. */
async function probeVersion(config: RestConfig): Promise<string> {
  await using http = new HttpClient({ ...config, timeoutMs: PROBE_TIMEOUT_MS, maxRetries: 0 });
  const version = await new RestClient(http).get().absPath('/version').do().into<{ gitVersion?: string }>();
  return version.gitVersion ?? 'unknown version';
}

async function startEmbedded(options: ChooseTargetOptions): Promise<Target> {
  // With nodes (kube-scheduler, kube-controller-manager, kwok): the seeded pods run and the
  // Deployment step rolls out, as on a real cluster.
  const plane = await options.progress.run(`starting a cluster with ${EMBEDDED_NODES} nodes (@kgo/envtest)`, (log) =>
    startControlPlane({ log, nodes: EMBEDDED_NODES }),
  );
  options.onStarted?.(() => plane.stop());
  try {
    // Through the kubeconfig file envtest wrote, as for any cluster.
    const { config } = await loadConfig({ explicitPath: plane.admin.kubeconfig, inCluster: false });
    const seeded = await options.progress.run('seeding sample objects', () => seed(config));
    return {
      description: `the embedded cluster (@kgo/envtest) at ${plane.server}, kube-apiserver ${plane.gitVersion}, nodes ${plane.nodes?.names.join(', ')}, started in ${(plane.startupMs / 1000).toFixed(1)} s`,
      embedded: true,
      config,
      gitVersion: plane.gitVersion,
      seeded,
      stop: () => plane.stop(),
    };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { resolveBinaries } from './binaries.ts';
import { parseNodes } from './cli-args.ts';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { describeControlPlane, writeTestCluster } from './test-cluster.ts';

const USAGE = `kgo-envtest: a real etcd + kube-apiserver on loopback for tests.

  kgo-envtest build [--nodes]           find or build the binaries (cached), print where they are
  kgo-envtest start [--nodes N]         start a control plane, print its kubeconfigs, run until Ctrl-C
  kgo-envtest run [--nodes N] -- CMD    start one, run CMD with KGO_TEST_CLUSTER, KGO_TEST_KUBECONFIG
                                        and KUBECONFIG aimed at it, stop it
  kgo-envtest demo [--nodes N]          start one, print the server's version, stop it

--nodes N adds kube-scheduler, kube-controller-manager and kwok with N simulated nodes, so pods
run (for build: also build those). Binaries: $KUBEBUILDER_ASSETS, else
~/.cache/kgo/envtest/<version>, else built once with Go.`;

const log = (line: string) => console.error(`[envtest] ${line}`);

async function withControlPlane(nodes: number, body: (plane: ControlPlane) => Promise<number>): Promise<number> {
  const plane = await startControlPlane({ log, nodes });
  const withNodes = plane.nodes ? ` with ${plane.nodes.names.length} node(s)` : '';
  log(`${plane.gitVersion} ready at ${plane.server}${withNodes} in ${plane.startupMs} ms (binaries: ${plane.binaries.source})`);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the control plane`);
    void plane.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body(plane);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!stopping) await plane.stop();
  }
}

/**
 * The environment of `run`'s command: every variable that names a cluster names this control
 * plane, so nothing the command runs falls back on the shell's KUBECONFIG or KGO_TEST_KUBECONFIG,
 * or on ~/.kube/config (a real cluster, maybe production). KGO_TEST_CLUSTER takes precedence over
 * KGO_TEST_KUBECONFIG in the vitest setup, so suites still share this plane with its full
 * description (token user, CA files); KGO_TEST_KUBECONFIG is the same plane's admin kubeconfig.
 */
function childEnv(clusterFile: string, adminKubeconfig: string): NodeJS.ProcessEnv {
  return { ...process.env, KGO_TEST_CLUSTER: clusterFile, KGO_TEST_KUBECONFIG: adminKubeconfig, KUBECONFIG: adminKubeconfig };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const { nodes, rest } = parseNodes(args, command === 'build');
  switch (command) {
    case 'build': {
      const binaries = await resolveBinaries({ log, nodes: nodes > 0 });
      console.log(`kube-apiserver: ${binaries.kubeApiserver}\netcd: ${binaries.etcd}\nsource: ${binaries.source}`);
      if (binaries.nodes) {
        const { kubeControllerManager, kubeScheduler, kwok, source } = binaries.nodes;
        console.log(`kube-controller-manager: ${kubeControllerManager}\nkube-scheduler: ${kubeScheduler}\nkwok: ${kwok}\nnode binaries source: ${source}`);
      }
      return 0;
    }
    case 'demo':
      return withControlPlane(nodes, async (plane) => {
        const withNodes = plane.nodes ? ` with nodes ${plane.nodes.names.join(', ')}` : '';
        console.log(`kube-apiserver ${plane.gitVersion} at ${plane.server}${withNodes} (started in ${(plane.startupMs / 1000).toFixed(1)} s)`);
        return 0;
      });
    case 'start':
      return withControlPlane(nodes, async (plane) => {
        console.log(`server: ${plane.server}\nadmin kubeconfig: ${plane.admin.kubeconfig}\nuser kubeconfig: ${plane.user.kubeconfig}`);
        if (plane.nodes) console.log(`nodes: ${plane.nodes.names.join(', ')} (exec runs in ${plane.nodes.execWorkDir})`);
        console.log('Ctrl-C stops it.');
        await new Promise(() => {});
        return 0;
      });
    case 'run': {
      const command = rest[0] === '--' ? rest.slice(1) : rest;
      if (command.length === 0) {
        console.error(USAGE);
        return 2;
      }
      return withControlPlane(nodes, async (plane) => {
        const clusterFile = join(plane.dataDir, 'test-cluster.json');
        await writeTestCluster(clusterFile, describeControlPlane(plane));
        const child = spawn(command[0] as string, command.slice(1), {
          stdio: 'inherit',
          env: childEnv(clusterFile, plane.admin.kubeconfig),
        });
        return new Promise<number>((resolve) => {
          child.on('error', (error) => {
            console.error(`kgo-envtest run: cannot start ${command[0]}: ${error.message}`);
            resolve(127);
          });
          child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
        });
      });
    }
    default:
      console.error(USAGE);
      return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`kgo-envtest: ${error.message}`);
    process.exit(1);
  },
);

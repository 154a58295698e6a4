import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.ts';
import { describeControlPlane, describeKubeconfig, readTestCluster, type TestCluster } from './test-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kgoTestCluster: TestCluster;
    /**
     * Set in a vitest config's `test.provide` to run that project's tests on a cluster with this
     * many simulated nodes (scheduler, controller-manager and kwok running). Default: 0.
     */
    kgoEnvtestNodes?: number;
  }
}

/**
 * Vitest `globalSetup`: provides a {@link TestCluster} to every test file as
 * `inject('kgoTestCluster')` (or through `testCluster()` from `@kgo/envtest/vitest`).
 *
 * - `KGO_TEST_CLUSTER` (set by `kgo-envtest run`): reuse that running control plane — unless the
 *   project asks for nodes (`test.provide: { kgoEnvtestNodes: N }`) and it has fewer: then the
 *   project gets a control plane with nodes of its own.
 * - `KGO_TEST_KUBECONFIG`: use an existing cluster through that kubeconfig (it is the user's: its
 *   nodes are whatever it has).
 * - `KGO_ENVTEST=off`: provide nothing (a quick local run of unit tests; integration tests then fail).
 * - otherwise: start a control plane (with `kgoEnvtestNodes` nodes) for this test run and stop it afterwards.
 *
 * @example
 * ```ts
 * // vitest.config.ts: this project's tests run where pods are scheduled and go Running
 * export default defineConfig({ test: { globalSetup: ['@kgo/envtest/vitest-setup'], provide: { kgoEnvtestNodes: 2 } } });
 * ```
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.KGO_ENVTEST === 'off') return undefined;
  const log = (line: string) => console.error(`[envtest] ${line}`);
  const nodes = project.getProvidedContext().kgoEnvtestNodes ?? 0;
  if (process.env.KGO_TEST_CLUSTER) {
    const shared = await readTestCluster(process.env.KGO_TEST_CLUSTER);
    if ((shared.nodes?.length ?? 0) >= nodes) {
      project.provide('kgoTestCluster', shared);
      return undefined;
    }
    log(`${project.name || 'this project'} asks for ${nodes} node(s); the shared control plane has ${shared.nodes?.length ?? 0}: starting one with nodes for it`);
  } else if (process.env.KGO_TEST_KUBECONFIG) {
    project.provide('kgoTestCluster', await describeKubeconfig(process.env.KGO_TEST_KUBECONFIG));
    return undefined;
  }
  const plane = await startControlPlane({ log, nodes });
  log(`${plane.gitVersion} ready at ${plane.server}${nodes > 0 ? ` with ${nodes} node(s)` : ''} in ${plane.startupMs} ms (binaries: ${plane.binaries.source})`);
  project.provide('kgoTestCluster', describeControlPlane(plane));
  return () => plane.stop();
}

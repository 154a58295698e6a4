import type { TestProject } from 'vitest/node';
import { startControlPlane } from './control-plane.ts';
import { describeControlPlane, describeKubeconfig, readTestCluster, type TestCluster } from './test-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kgoTestCluster: TestCluster;
  }
}

/**
 * Vitest `globalSetup`: provides a {@link TestCluster} to every test file as
 * `inject('kgoTestCluster')` (or through `testCluster()` from `@kgo/envtest/vitest`).
 *
 * - `KGO_TEST_CLUSTER` (set by `kgo-envtest run`): reuse that running control plane.
 * - `KGO_TEST_KUBECONFIG`: use an existing cluster through that kubeconfig.
 * - `KGO_ENVTEST=off`: provide nothing (a quick local run of unit tests; integration tests then fail).
 * - otherwise: start a control plane for this test run and stop it afterwards.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.KGO_ENVTEST === 'off') return undefined;
  if (process.env.KGO_TEST_CLUSTER) {
    project.provide('kgoTestCluster', await readTestCluster(process.env.KGO_TEST_CLUSTER));
    return undefined;
  }
  if (process.env.KGO_TEST_KUBECONFIG) {
    project.provide('kgoTestCluster', await describeKubeconfig(process.env.KGO_TEST_KUBECONFIG));
    return undefined;
  }
  const plane = await startControlPlane({ log: (line) => console.error(`[envtest] ${line}`) });
  console.error(`[envtest] ${plane.gitVersion} ready at ${plane.server} in ${plane.startupMs} ms (binaries: ${plane.binaries.source})`);
  project.provide('kgoTestCluster', describeControlPlane(plane));
  return () => plane.stop();
}

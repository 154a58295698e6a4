import { defineConfig } from 'vitest/config';

const NODES_SUITES = 'src/**/*.nodes.integration.test.ts';
// Through this package's own node_modules link, so tests run from source without a build.
const ENVTEST_SETUP = './node_modules/@kgo/envtest/src/vitest-setup.ts';

export default defineConfig({
  // Workspace packages resolve to their sources (the `@kgo/source` export condition), so a
  // package tests against its dependencies' current code without building them first.
  ssr: { resolve: { conditions: ['@kgo/source', 'module', 'node', 'development|production'] } },
  test: {
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    hookTimeout: 60_000,
    // The envtest setup is each project's own (a root globalSetup runs once, for the root): it
    // gives the workload suites a cluster with nodes, starting one when the shared one has none.
    projects: [
      { extends: true, test: { name: 'typed', include: ['src/**/*.test.ts'], exclude: ['**/node_modules/**', NODES_SUITES], globalSetup: [ENVTEST_SETUP] } },
      {
        extends: true,
        test: { name: 'typed-nodes', include: [NODES_SUITES], globalSetup: [ENVTEST_SETUP], provide: { kgoEnvtestNodes: 2 }, testTimeout: 120_000, hookTimeout: 180_000 },
      },
    ],
  },
});

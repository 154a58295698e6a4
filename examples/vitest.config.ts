import { defineConfig } from 'vitest/config';

const NODES_TESTS = 'test/**/*.nodes.test.ts';
const ENVTEST_SETUP = './node_modules/@kgo/envtest/src/vitest-setup.ts';

export default defineConfig({
  ssr: { resolve: { conditions: ['@kgo/source', 'module', 'node', 'development|production'] } },
  test: {
    // Each example runs as its own Node process against the test cluster.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    // Each project has its own envtest setup (a root globalSetup runs once, for the root): the
    // Deployment example gets a cluster with nodes; the others share the plain one, where nothing
    // but the example touches its pods.
    projects: [
      { extends: true, test: { name: 'examples', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', NODES_TESTS], globalSetup: [ENVTEST_SETUP] } },
      {
        extends: true,
        test: { name: 'examples-nodes', include: [NODES_TESTS], globalSetup: [ENVTEST_SETUP], provide: { kgoEnvtestNodes: 2 }, testTimeout: 150_000, hookTimeout: 180_000 },
      },
    ],
  },
});

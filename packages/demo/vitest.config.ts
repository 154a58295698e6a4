import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their sources (the `@kgo/source` export condition), as in the
  // demo's own `node --conditions=@kgo/source` run.
  ssr: { resolve: { conditions: ['@kgo/source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./node_modules/@kgo/envtest/src/vitest-setup.ts'],
    // The integration test runs the demo as a child process several times (each one a fresh Node
    // loading the sources) and once with its own embedded control plane.
    testTimeout: 180_000,
    // Pods run, Deployments roll out: the suites get a cluster with nodes (its own, when the shared one has none).
    provide: { kgoEnvtestNodes: 2 },
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});

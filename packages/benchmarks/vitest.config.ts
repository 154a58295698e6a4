import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their sources (the `@kgo/source` export condition), so the
  // harness is checked against its dependencies' current code without building them first.
  ssr: { resolve: { conditions: ['@kgo/source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // Through this package's own node_modules link, so tests run from source without a build.
    globalSetup: ['./node_modules/@kgo/envtest/src/vitest-setup.ts'],
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    hookTimeout: 60_000,
  },
});

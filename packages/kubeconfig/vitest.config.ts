import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@kgo/source'] },
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

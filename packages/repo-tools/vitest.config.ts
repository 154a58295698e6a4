import { defineConfig } from 'vitest/config';

// No envtest globalSetup: these checks need no control plane. The consumer test packs and
// npm-installs every package, hence the long timeout.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});

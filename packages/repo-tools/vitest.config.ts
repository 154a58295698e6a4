import { defineConfig } from 'vitest/config';

// The consumer test packs and npm-installs every package and bundles apps, hence the long
// timeouts; its bundled apps run against the control plane of the envtest global setup. Files
// run one at a time: each consumer check is heavy enough for a shared 2-core machine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./node_modules/@kgo/envtest/src/vitest-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@kgo/source'] },
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/vitest-setup.ts'],
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    hookTimeout: 60_000,
  },
});

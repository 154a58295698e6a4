import { defineConfig } from 'vitest/config';

// The docs' own tools (link rewriting, charts, snippet extraction): unit tests, no control plane.
export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts', '.vitepress/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});

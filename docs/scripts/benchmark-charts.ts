/**
 * Draws the benchmark charts (docs/charts/*.svg, committed, embedded in docs/benchmarks.md) from the results JSON
 * the benchmark harness writes (packages/benchmarks/results/). For each kind of result the newest file is used
 * (the date is in its name). The readers are tolerant: rows of clients or scenarios they have not seen before are
 * drawn like the others, rows without the figure are left out, and files of an unknown kind are listed and skipped.
 *
 * Usage: node scripts/benchmark-charts.ts   (part of `pnpm docs:build`; commit the charts it changes)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBarChart } from './bar-chart.ts';
import { chartsFor, kindOf, type ResultFile } from './benchmark-results.ts';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(docsDir, '..', 'packages', 'benchmarks', 'results');
const outDir = join(docsDir, 'charts');

const files = readdirSync(resultsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();
const newest = new Map<string, ResultFile>();
for (const name of files) {
  const kind = kindOf(name);
  if (!kind) {
    console.log(`benchmark-charts: ${name}: no chart for this kind of result, skipped`);
    continue;
  }
  newest.set(kind, { name, kind, data: JSON.parse(readFileSync(join(resultsDir, name), 'utf8')) as unknown });
}

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const file of newest.values()) {
  for (const { name, chart } of chartsFor(file)) {
    writeFileSync(join(outDir, `${name}.svg`), renderBarChart(chart));
    written++;
  }
}
console.log(`benchmark-charts: ${written} charts from ${newest.size} results files → docs/charts`);

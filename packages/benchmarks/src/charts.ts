/**
 * SVG bar charts of a benchmark run, drawn from its results JSON with no dependencies:
 *
 *   pnpm --filter @kgo/benchmarks charts                          # newest results/<date>.json → docs/benchmarks/
 *   pnpm --filter @kgo/benchmarks charts results/2026-11-25.json --out /tmp/charts
 *
 * One chart per (scenario, metric) of {@link CHARTS}: a bar per implementation at the median, a
 * whisker from the fastest to the slowest repetition, kgo's bars in blue. The output depends only
 * on the JSON, so regenerating unchanged results changes no file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MetricInfo, type Report, type ScenarioId, scenarioInfo, scenarioTitle } from './report.ts';

/** The charts drawn: each scenario's headline, and the secondary metrics worth a picture. */
export const CHARTS: { scenario: ScenarioId; metric: string }[] = [
  { scenario: 'get-sequential', metric: 'rps' },
  { scenario: 'get-sequential', metric: 'cpuUs' },
  { scenario: 'get-concurrent', metric: 'rps' },
  { scenario: 'get-concurrent', metric: 'cpuUs' },
  { scenario: 'list', metric: 'ms' },
  { scenario: 'list', metric: 'peakRssMiB' },
  { scenario: 'create', metric: 'rps' },
  { scenario: 'create', metric: 'cpuUs' },
  { scenario: 'watch-throughput', metric: 'eventsPerSecond' },
  { scenario: 'watch-throughput', metric: 'cpuUs' },
  { scenario: 'watch-lag', metric: 'lagP50Ms' },
  { scenario: 'watch-lag', metric: 'lagP99Ms' },
  { scenario: 'informer-sync', metric: 'ms' },
  { scenario: 'informer-memory', metric: 'heapPerObjectB' },
  { scenario: 'informer-memory', metric: 'rssPerObjectB' },
  { scenario: 'informer-events', metric: 'eventsPerSecond' },
  { scenario: 'informer-events', metric: 'cpuUs' },
  { scenario: 'discovery-cold', metric: 'ms' },
  { scenario: 'discovery-cold-legacy', metric: 'ms' },
  { scenario: 'discovery-warm-memory', metric: 'ms' },
  { scenario: 'discovery-warm-disk', metric: 'ms' },
  { scenario: 'app', metric: 'installMB' },
  { scenario: 'app', metric: 'bundleKB' },
  { scenario: 'app', metric: 'importMs' },
  { scenario: 'app', metric: 'peakRssMiB' },
];

const WIDTH = 760;
const LABEL_WIDTH = 120;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 18;
const ROW_HEIGHT = 28;
const TOP = 58;
const KGO = '#2563eb';
const OTHER = '#9ca3af';
const WHISKER = '#374151';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === '/s' ? `${number}/s` : unit ? `${number} ${unit}` : number;
}

/** One chart as SVG text, or undefined when the report has no such scenario or metric. */
export function chartSvg(report: Report, scenarioId: ScenarioId, metricKey: string): string | undefined {
  const scenario = report.scenarios.find((s) => s.id === scenarioId);
  const info = scenarioInfo(scenarioId);
  const metric = info.metrics.find((m) => m.key === metricKey) as MetricInfo | undefined;
  if (!scenario || !metric) return undefined;
  const rows = scenario.rows.filter((row) => row.metrics[metricKey] && Number.isFinite(row.metrics[metricKey]?.median));
  if (rows.length === 0) return undefined;
  const top = Math.max(...rows.map((row) => row.metrics[metricKey]?.max ?? 0), 0) || 1;
  const barWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const x = (value: number) => LABEL_WIDTH + (Math.max(0, value) / top) * barWidth;
  const height = TOP + rows.length * ROW_HEIGHT + 30;
  const title = scenarioTitle(info, report.settings);
  const subtitle = `${metric.label}${metric.unit ? ` (${metric.unit})` : ''}, ${metric.higherIsBetter ? 'higher' : 'lower'} is better — median, whisker: min–max. ${report.date.slice(0, 10)}${report.quick ? ', quick mode' : ''}, load ${scenario.loadAverage.before.toFixed(1)}→${scenario.loadAverage.after.toFixed(1)}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">`,
    `<title>${escape(`${title}: ${metric.label}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="600" fill="#111827">${escape(title)}</text>`,
    `<text x="10" y="42" font-size="12" fill="#4b5563">${escape(subtitle)}</text>`,
  ];
  rows.forEach((row, i) => {
    const value = row.metrics[metricKey];
    if (!value) return;
    const y = TOP + i * ROW_HEIGHT;
    const kgo = row.implementation.startsWith('kgo');
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" text-anchor="end" fill="#111827"${kgo ? ' font-weight="600"' : ''}>${escape(row.implementation)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(value.median) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${kgo ? KGO : OTHER}"/>`,
    );
    if (value.samples.length > 1 && value.max > value.min) {
      const middle = y + BAR_HEIGHT / 2;
      parts.push(
        `<line x1="${x(value.min).toFixed(1)}" y1="${middle}" x2="${x(value.max).toFixed(1)}" y2="${middle}" stroke="${WHISKER}" stroke-width="1.5"/>`,
        `<line x1="${x(value.min).toFixed(1)}" y1="${middle - 5}" x2="${x(value.min).toFixed(1)}" y2="${middle + 5}" stroke="${WHISKER}" stroke-width="1.5"/>`,
        `<line x1="${x(value.max).toFixed(1)}" y1="${middle - 5}" x2="${x(value.max).toFixed(1)}" y2="${middle + 5}" stroke="${WHISKER}" stroke-width="1.5"/>`,
      );
    }
    parts.push(`<text x="${WIDTH - VALUE_WIDTH + 4}" y="${y + BAR_HEIGHT - 4}" fill="#111827">${escape(formatValue(value.median, metric.unit))}</text>`);
  });
  parts.push(`<line x1="${LABEL_WIDTH}" y1="${TOP - 6}" x2="${LABEL_WIDTH}" y2="${TOP + rows.length * ROW_HEIGHT - 4}" stroke="#d1d5db"/>`, '</svg>');
  return `${parts.join('\n')}\n`;
}

/** The chart file name of a (scenario, metric). */
export const chartFile = (scenario: ScenarioId, metric: string) => `${scenario}-${metric}.svg`;

/** Writes every chart of `report` into `outDir`; returns the files written. */
export function writeCharts(report: Report, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const { scenario, metric } of CHARTS) {
    const svg = chartSvg(report, scenario, metric);
    if (!svg) continue;
    const file = join(outDir, chartFile(scenario, metric));
    writeFileSync(file, svg);
    written.push(file);
  }
  return written;
}

function newestResults(dir: string): string {
  const files = readdirSync(dir)
    .filter((file) => /^\d{4}-\d\d-\d\d\.json$/.test(file))
    .sort();
  for (const file of files.reverse()) {
    if ((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { schema?: number }).schema === 2) return join(dir, file);
  }
  throw new Error(`no results/<date>.json of the current shape (schema 2) in ${dir}: run \`pnpm --filter @kgo/benchmarks bench\` first`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const outDir = outAt >= 0 ? (args[outAt + 1] ?? '') : fileURLToPath(new URL('../../../docs/benchmarks/', import.meta.url));
  const input = args.find((arg, i) => !arg.startsWith('--') && (outAt < 0 || i !== outAt + 1)) ?? newestResults(fileURLToPath(new URL('../results/', import.meta.url)));
  const report = JSON.parse(readFileSync(input, 'utf8')) as Report;
  if (report.schema !== 2) throw new Error(`${input} is not a results file of the current shape (schema 2)`);
  const written = writeCharts(report, outDir);
  console.log(`${written.length} charts from ${basename(input)} in ${outDir}`);
}

/**
 * The protobuf scenarios of a results file as the table of docs/benchmarks.md ("Protobuf vs
 * JSON"): every metric's median per row, then the two ratios issue #15 asks for, kgo protobuf /
 * kgo JSON and kgo protobuf / client-go protobuf, of every metric.
 *
 *   node src/protobuf-table.ts results/<date>-protobuf.json
 */
import { readFileSync } from 'node:fs';
import { type Report, SCENARIOS, scenarioTitle } from './report.ts';

const RATIOS: [string, string][] = [
  ['kgo-typed-protobuf', 'kgo-typed-json'],
  ['kgo-typed-protobuf', 'client-go-protobuf'],
  ['client-go-protobuf', 'client-go-json'],
];

const fmt = (value: number | undefined): string => {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : value >= 10 ? 1 : 2 });
};

/** The markdown of the protobuf scenarios of `report`. */
export function protobufTable(report: Report): string {
  const lines: string[] = [];
  for (const info of SCENARIOS.filter((scenario) => scenario.id.startsWith('protobuf-'))) {
    const scenario = report.scenarios.find((s) => s.id === info.id);
    if (!scenario) continue;
    lines.push(`#### ${scenarioTitle(info, report.settings)}`, '', `Load average (1 min) ${scenario.loadAverage.before.toFixed(1)} → ${scenario.loadAverage.after.toFixed(1)}. Medians; (min–max) of client CPU.`, '');
    lines.push(`| | ${info.metrics.map((metric) => `${metric.label} (${metric.unit})`).join(' | ')} |`, `| --- | ${info.metrics.map(() => '---:').join(' | ')} |`);
    const median = (row: string, key: string) => scenario.rows.find((r) => r.implementation === row)?.metrics[key];
    for (const row of scenario.rows) {
      const cells = info.metrics.map((metric) => {
        const value = median(row.implementation, metric.key);
        return metric.key === 'cpuMs' && value && value.samples.length > 1 ? `${fmt(value.median)} (${fmt(value.min)}–${fmt(value.max)})` : fmt(value?.median);
      });
      lines.push(`| ${row.implementation} | ${cells.join(' | ')} |`);
    }
    for (const [a, b] of RATIOS) {
      const cells = info.metrics.map((metric) => {
        const x = median(a, metric.key)?.median;
        const y = median(b, metric.key)?.median;
        return x === undefined || y === undefined || y === 0 ? '—' : `**${fmt(x / y)}×**`;
      });
      lines.push(`| ${a} / ${b} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node src/protobuf-table.ts <results.json>');
  process.stdout.write(protobufTable(JSON.parse(readFileSync(file, 'utf8')) as Report));
}

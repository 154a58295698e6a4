/**
 * The "list pods" app row of the main report, taken from the newest `results/app-size-*.json`
 * (bench:app-size measures it separately: it packs, installs from the npm registry and bundles,
 * which a benchmark run against a control plane has no reason to repeat).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type Row, type ScenarioResult, stat } from './report.ts';

/** The parts of an app-size result this row reads. */
interface AppSizeResult {
  date: string;
  closures: Record<string, { apparentBytes: number }>;
  bundles: Record<string, { bytes: number }>;
  variants: { name: string; wallMs: number[]; cpuMs: number[]; peakRssMiB: number[]; medianWallMs: number; medianCpuMs: number }[];
}

const APPS = ['kgo', 'client-node'];

export function appScenario(resultsDir: string): ScenarioResult {
  const load = loadavg()[0] ?? 0;
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((file) => /^app-size-\d{4}-\d\d-\d\d(-quick)?\.json$/.test(file)) : [];
  // The newest full run, else the newest quick one.
  const newest = [...files].sort((a, b) => Number(a.includes('-quick')) - Number(b.includes('-quick')) || b.localeCompare(a))[0];
  if (!newest) {
    return { id: 'app', rows: APPS.map((implementation) => ({ implementation, metrics: {}, notes: { source: 'no results/app-size-*.json: run bench:app-size' } })), loadAverage: { before: load, after: load }, seconds: 0 };
  }
  const result = JSON.parse(readFileSync(join(resultsDir, newest), 'utf8')) as AppSizeResult;
  const variant = (name: string) => {
    const found = result.variants.find((v) => v.name === name);
    if (!found) throw new Error(`${newest} has no "${name}" variant`);
    return found;
  };
  const empty = variant('empty');
  const rows: Row[] = APPS.map((app) => {
    const imported = variant(`${app} installed import`);
    return {
      implementation: app,
      metrics: {
        installMB: stat([(result.closures[app]?.apparentBytes ?? Number.NaN) / 1e6]),
        bundleKB: stat([(result.bundles[app]?.bytes ?? Number.NaN) / 1e3]),
        importMs: stat(imported.wallMs.map((ms) => ms - empty.medianWallMs)),
        importCpuMs: stat(imported.cpuMs.map((ms) => ms - empty.medianCpuMs)),
        peakRssMiB: stat(variant(`${app} installed run`).peakRssMiB),
      },
      notes: { source: `${newest} (${result.date.slice(0, 16)})` },
    };
  });
  return { id: 'app', rows, loadAverage: { before: load, after: load }, seconds: 0 };
}

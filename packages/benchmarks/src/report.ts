/**
 * The shape of a benchmark run's results (`results/<date>.json`) and its markdown rendering. Every
 * scenario is a list of rows, one per implementation, each with named metrics; the first metric
 * of a scenario is its headline, the one its ratios and chart use.
 */
import { median } from './stats.ts';

/** A measured quantity over repetitions: the median and the spread. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  /** Every repetition (round, timed call or worker), in the order measured. */
  samples: number[];
}

/** One implementation in one scenario. */
export interface Row {
  implementation: string;
  metrics: Record<string, Stat>;
  /** Facts that are not timed (request counts, items), or why a figure is missing. */
  notes?: Record<string, string | number>;
}

/** One scenario: its rows and the machine's load average while it ran. */
export interface ScenarioResult {
  id: ScenarioId;
  rows: Row[];
  loadAverage: { before: number; after: number };
  seconds: number;
}

export interface Report {
  /** 2: scenarios × rows × metrics (the 2026-11-23 files, without this field, are the older three-client shape). */
  schema: 2;
  date: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: { before: number[]; after: number[] } };
  kubernetes: string;
  cluster: { source: string; startupMs: number | undefined; binaries: string | undefined };
  versions: Record<string, string>;
  /** Which state of @kgo/rest's sources was measured. */
  kgoRestSource: { sha256: string; files: number; newest: string; changedDuringRun: boolean };
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
  totalSeconds: number;
}

/** A metric of a scenario. */
export interface MetricInfo {
  key: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
}

export type ScenarioId =
  | 'get-sequential'
  | 'get-concurrent'
  | 'list'
  | 'create'
  | 'watch-throughput'
  | 'watch-lag'
  | 'informer-sync'
  | 'informer-memory'
  | 'informer-events'
  | 'discovery-cold'
  | 'discovery-cold-legacy'
  | 'discovery-warm-memory'
  | 'discovery-warm-disk'
  | 'app'
  | 'protobuf-list-configmaps'
  | 'protobuf-list-pods'
  | 'protobuf-watch';

export interface ScenarioInfo {
  id: ScenarioId;
  title: string;
  /** The headline metric first. */
  metrics: MetricInfo[];
  /** Implementations the ratios are taken against, in column order (baseline first). */
  references: string[];
}

const rps = (label = 'requests/s'): MetricInfo => ({ key: 'rps', label, unit: '/s', higherIsBetter: true });
const cpuPer = (what: string): MetricInfo => ({ key: 'cpuUs', label: `client CPU per ${what}`, unit: 'µs', higherIsBetter: false });
const ms = (label: string): MetricInfo => ({ key: 'ms', label, unit: 'ms', higherIsBetter: false });
const peakRss: MetricInfo = { key: 'peakRssMiB', label: 'peak RSS of the process (VmHWM)', unit: 'MiB', higherIsBetter: false };
const requests: MetricInfo = { key: 'requests', label: 'requests per call', unit: '', higherIsBetter: false };
const callCpu: MetricInfo = { key: 'cpuMs', label: 'client CPU per call', unit: 'ms', higherIsBetter: false };
const WIRE_PEERS = ['raw', 'client-node', 'client-go'];
const DISCOVERY_PEERS = ['client-node', 'client-go', 'kubectl'];
const INFORMER_PEERS = ['client-node', 'client-go'];
const WIRE_FORMATS = ['kgo-typed-json', 'client-go-protobuf'];
/** The protobuf scenarios' metrics, per LIST or per watch (`what`). */
const wireMetrics = (what: string): MetricInfo[] => [
  { key: 'cpuMs', label: `client CPU per ${what}`, unit: 'ms', higherIsBetter: false },
  ms(`wall time per ${what}`),
  { key: 'receivedKiB', label: `bytes received per ${what} (on the wire)`, unit: 'KiB', higherIsBetter: false },
  { key: 'apiServerCpuMs', label: `API-server CPU per ${what}`, unit: 'ms', higherIsBetter: false },
  peakRss,
];
const perObject = (key: string, label: string): MetricInfo => ({ key, label, unit: 'B', higherIsBetter: false });
const mib = (key: string, label: string): MetricInfo => ({ key, label, unit: 'MiB', higherIsBetter: false });

/** Every scenario, in report order. `{items}` and the like are filled in from the settings. */
export const SCENARIOS: ScenarioInfo[] = [
  { id: 'get-sequential', title: 'GET one small ConfigMap, sequential', metrics: [rps(), cpuPer('request'), peakRss], references: WIRE_PEERS },
  { id: 'get-concurrent', title: 'GET one small ConfigMap, concurrency {concurrency}', metrics: [rps(), cpuPer('request'), peakRss], references: WIRE_PEERS },
  {
    id: 'list',
    title: 'LIST {listItems} ConfigMaps (~{listMiB} MiB), one request',
    metrics: [ms('time to parsed objects'), peakRss, { key: 'cpuMs', label: 'client CPU per list', unit: 'ms', higherIsBetter: false }, { key: 'startRssMiB', label: 'RSS before the first request', unit: 'MiB', higherIsBetter: false }],
    references: WIRE_PEERS,
  },
  { id: 'create', title: 'create {createCount} ConfigMaps at concurrency {concurrency}', metrics: [rps('creates/s'), cpuPer('create'), ms('time for all'), peakRss], references: WIRE_PEERS },
  {
    id: 'watch-throughput',
    title: 'watch {watchEvents} events (initial ADDED events of resourceVersion=0), one client at a time',
    metrics: [{ key: 'eventsPerSecond', label: 'events/s', unit: '/s', higherIsBetter: true }, cpuPer('event'), peakRss],
    references: WIRE_PEERS,
  },
  {
    id: 'watch-lag',
    title: 'watch {watchEvents} live creates at concurrency {concurrency}, every client watching at once: end-to-end lag',
    metrics: [
      { key: 'lagP50Ms', label: 'lag p50', unit: 'ms', higherIsBetter: false },
      { key: 'lagP99Ms', label: 'lag p99', unit: 'ms', higherIsBetter: false },
      { key: 'eventsPerSecond', label: 'events/s (bounded by the writer)', unit: '/s', higherIsBetter: true },
    ],
    references: WIRE_PEERS,
  },
  {
    id: 'informer-sync',
    title: 'one shared informer on {informerItems} ConfigMaps: start to synced (a new process per run)',
    metrics: [ms('time to synced'), { key: 'cpuMs', label: 'client CPU to sync', unit: 'ms', higherIsBetter: false }, peakRss],
    references: INFORMER_PEERS,
  },
  {
    id: 'informer-memory',
    title: 'one shared informer on {informerItems} ConfigMaps: memory per cached object',
    metrics: [
      perObject('heapPerObjectB', 'live heap per object (after GC, over the baseline)'),
      perObject('rssPerObjectB', 'RSS per object (over the baseline)'),
      mib('baseRssMiB', 'RSS before the informer (library loaded)'),
      mib('rssMiB', 'RSS once synced'),
    ],
    references: INFORMER_PEERS,
  },
  {
    id: 'informer-events',
    title: '{informerUpdates} updates of cached objects through the informer (patched at concurrency {concurrency})',
    metrics: [{ key: 'eventsPerSecond', label: 'update events/s (bounded by the writer)', unit: '/s', higherIsBetter: true }, cpuPer('update event')],
    references: INFORMER_PEERS,
  },
  { id: 'discovery-cold', title: 'full discovery, {crds} CRDs, cold (new client, new connection; each client\'s default way)', metrics: [ms('wall time per call'), callCpu, requests], references: DISCOVERY_PEERS },
  { id: 'discovery-cold-legacy', title: 'full discovery, cold, legacy (one document per group-version)', metrics: [ms('wall time per call'), callCpu, requests], references: DISCOVERY_PEERS },
  { id: 'discovery-warm-memory', title: 'full discovery from a warm memory cache', metrics: [ms('wall time per call'), callCpu, requests], references: DISCOVERY_PEERS },
  { id: 'discovery-warm-disk', title: 'full discovery from a warm disk cache (new client per call; kubectl: a process)', metrics: [ms('wall time per call'), callCpu, requests], references: DISCOVERY_PEERS },
  {
    id: 'app',
    title: '"list pods in kube-system" app (bench:app-size)',
    metrics: [
      { key: 'installMB', label: 'installed closure (npm --omit=dev)', unit: 'MB', higherIsBetter: false },
      { key: 'bundleKB', label: 'esbuild bundle, minified', unit: 'kB', higherIsBetter: false },
      { key: 'importMs', label: 'import time over an empty script', unit: 'ms', higherIsBetter: false },
      { key: 'importCpuMs', label: 'import CPU time over an empty script', unit: 'ms', higherIsBetter: false },
      { key: 'peakRssMiB', label: 'peak RSS listing the pods', unit: 'MiB', higherIsBetter: false },
    ],
    references: ['client-node'],
  },
  { id: 'protobuf-list-configmaps', title: 'JSON vs protobuf: LIST {listItems} ConfigMaps (~2 KB each), one request', metrics: wireMetrics('list'), references: WIRE_FORMATS },
  { id: 'protobuf-list-pods', title: 'JSON vs protobuf: LIST {podItems} Pods (Pending), one request', metrics: wireMetrics('list'), references: WIRE_FORMATS },
  {
    id: 'protobuf-watch',
    title: 'JSON vs protobuf: watch {watchEvents} events (ADDED, resourceVersion=0, ConfigMaps of ~2 KB)',
    metrics: wireMetrics('watch'),
    references: WIRE_FORMATS,
  },
];

export function scenarioInfo(id: ScenarioId): ScenarioInfo {
  const info = SCENARIOS.find((scenario) => scenario.id === id);
  if (!info) throw new Error(`unknown scenario ${id}`);
  return info;
}

/** The title with its `{setting}` placeholders filled in. */
export function scenarioTitle(info: ScenarioInfo, settings: Record<string, unknown>): string {
  return info.title.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = settings[key];
    return typeof value === 'number' ? value.toLocaleString('en-US') : String(value ?? `{${key}}`);
  });
}

/** Median and spread of `samples`. */
export function stat(samples: readonly number[]): Stat {
  const rounded = samples.map((value) => Math.round(value * 1000) / 1000);
  return { median: median(rounded), min: Math.min(...rounded), max: Math.max(...rounded), samples: rounded };
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const fmt = (value: number | undefined): string => {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
};

/** `this / reference` of the headline metric's medians, or undefined. */
export function ratio(scenario: ScenarioResult, implementation: string, reference: string, key: string): number | undefined {
  const a = scenario.rows.find((row) => row.implementation === implementation)?.metrics[key]?.median;
  const b = scenario.rows.find((row) => row.implementation === reference)?.metrics[key]?.median;
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** The report as markdown: one table per scenario, with medians, spread and ratios. */
export function formatReport(report: Report): string {
  const { machine } = report;
  const lines: string[] = [`## kgo benchmarks, ${report.date.slice(0, 16).replace('T', ' ')} UTC${report.quick ? ' (quick mode: few repetitions, smaller fixtures)' : ''}`, ''];
  lines.push(
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}); kube-apiserver ${report.kubernetes} ` +
      `(${report.cluster.source}${report.cluster.startupMs !== undefined ? `, started in ${report.cluster.startupMs} ms` : ''}) on the same machine; ` +
      `load average (1, 5, 15 min) ${machine.loadAverage.before.map((l) => l.toFixed(1)).join(', ')} before, ${machine.loadAverage.after.map((l) => l.toFixed(1)).join(', ')} after.`,
    `Versions: ${Object.entries(report.versions).map(([name, version]) => `${name} ${version}`).join(', ')}; @kgo/rest sources ${report.kgoRestSource.sha256}.`,
    '',
  );
  if (report.kgoRestSource.changedDuringRun) lines.push('**Warning: @kgo/rest sources changed during this run; the figures mix two versions of the code.**', '');
  for (const scenario of report.scenarios) {
    const info = scenarioInfo(scenario.id);
    const [headline] = info.metrics as [MetricInfo, ...MetricInfo[]];
    const references = info.references.filter((reference) => scenario.rows.some((row) => row.implementation === reference));
    lines.push(`### ${scenarioTitle(info, report.settings)}`, '');
    lines.push(`Load average ${scenario.loadAverage.before.toFixed(1)} → ${scenario.loadAverage.after.toFixed(1)}; ${scenario.seconds} s. Median (min–max); ratios of the ${headline.label} medians (${headline.higherIsBetter ? 'higher' : 'lower'} is better).`, '');
    lines.push(`| implementation | ${info.metrics.map((metric) => `${metric.label}${metric.unit ? ` (${metric.unit})` : ''}`).join(' | ')} | ${references.map((reference) => `/ ${reference}`).join(' | ')} |`);
    lines.push(`| --- | ${info.metrics.map(() => '---:').join(' | ')} | ${references.map(() => '---:').join(' | ')} |`);
    for (const row of scenario.rows) {
      const cells = info.metrics.map((metric) => {
        const value = row.metrics[metric.key];
        if (!value) return String(row.notes?.[metric.key] ?? '—');
        return value.samples.length > 1 && value.min !== value.max ? `${fmt(value.median)} (${fmt(value.min)}–${fmt(value.max)})` : fmt(value.median);
      });
      const ratios = references.map((reference) => (reference === row.implementation ? '1' : `${fmt(ratio(scenario, row.implementation, reference, headline.key))}×`));
      lines.push(`| ${row.implementation} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
    }
    const notes = scenario.rows.flatMap((row) => Object.entries(row.notes ?? {}).filter(([key]) => !info.metrics.some((metric) => metric.key === key)).map(([key, value]) => `${row.implementation}: ${key} ${value}`));
    if (notes.length > 0) lines.push('', `Notes: ${notes.join('; ')}.`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

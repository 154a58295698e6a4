/**
 * Reading the benchmark harness's results files (packages/benchmarks/results/*.json) into bar charts. Each reader
 * checks every field it uses, so a file from a newer harness with extra rows or fields still draws, and one that
 * lacks a figure leaves that bar out instead of failing.
 */
import type { BarChart, BarGroup } from './bar-chart.ts';

/** The kinds of results files there are charts for, by file name. */
export type ResultKind = 'discovery-cache' | 'dynamic-overhead' | 'watch-decode';

/** A parsed results file. */
export interface ResultFile {
  name: string;
  kind: ResultKind;
  data: unknown;
}

/**
 * The kind of a results file from its name, or undefined. The peer run's files (`2026-11-25.json`: every
 * implementation, every scenario) are drawn by the harness itself (`pnpm --filter @kgo/benchmarks charts`, into
 * docs/benchmarks/), so they are not read here.
 */
export function kindOf(fileName: string): ResultKind | undefined {
  for (const kind of ['discovery-cache', 'dynamic-overhead', 'watch-decode'] as const) {
    if (fileName.startsWith(`${kind}-`) && fileName.endsWith('.json')) return kind;
  }
  return undefined;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function rows(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(object) : [];
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown, fallback = '?'): string {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : fallback;
}

/** kgo's own bars are highlighted. */
const isKgo = (client: string) => client.startsWith('kgo') || client.startsWith('@kgo');

/** Readable names for the harness's client keys; a key not listed here is shown as it is. */
const CLIENT_NAMES: Record<string, string> = {
  raw: 'raw undici',
  'raw-gzip': 'raw undici, gzip',
  kgo: 'kgo (@kgo/rest)',
  'kgo-identity': 'kgo, no gzip',
  'client-node': '@kubernetes/client-node',
};
const clientName = (client: string) => CLIENT_NAMES[client] ?? client;

/** The line under a chart's title: where the figures come from and on what. */
function provenance(file: ResultFile): string {
  const data = object(file.data);
  const machine = object(data.machine);
  const load = object(machine.loadAverage ?? data.loadAverage);
  const parts = [
    `results/${file.name}`,
    typeof data.date === 'string' ? data.date.slice(0, 16).replace('T', ' ') : undefined,
    typeof data.kubernetes === 'string' ? `Kubernetes ${data.kubernetes}` : undefined,
    typeof (machine.node ?? data.node) === 'string' ? `Node ${text(machine.node ?? data.node)}` : undefined,
    number(load.before) !== undefined ? `load ${number(load.before)} → ${number(load.after) ?? '?'}` : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

function discoveryCacheCharts(file: ResultFile): Array<{ name: string; chart: BarChart }> {
  const cluster = object(object(file.data).cluster);
  const size = [number(cluster.groups) && `${number(cluster.groups)} groups`, number(cluster.resources) && `${number(cluster.resources)} resources`]
    .filter(Boolean)
    .join(', ');
  const bars = rows(object(file.data).rows)
    .filter((row) => number(row.medianMs) !== undefined)
    .map((row) => ({ label: text(row.scenario), value: number(row.medianMs)!, note: row.requests !== undefined ? `(${text(row.requests)} requests)` : undefined }));
  return [
    {
      name: 'discovery-cache',
      chart: {
        title: 'Full discovery through @kgo/discovery-cache: median time (lower is better)',
        unit: 'ms',
        subtitle: provenance(file),
        groups: [{ label: `serverGroupsAndResources()${size ? `, ${size}` : ''}`, bars: bars.map((bar) => ({ ...bar, highlight: true })) }],
      },
    },
  ];
}

function dynamicCharts(file: ResultFile): Array<{ name: string; chart: BarChart }> {
  const data = object(file.data);
  const group = (label: string, part: Json): BarGroup => {
    const rest = number(object(part.rest).medianMs);
    const dynamic = number(object(part.dynamic).medianMs);
    const bars = [];
    if (rest !== undefined) bars.push({ label: '@kgo/rest RestClient', value: rest, highlight: true });
    if (dynamic !== undefined) bars.push({ label: '@kgo/dynamic DynamicClient', value: dynamic, note: rest ? `${(dynamic / rest).toFixed(2)}× rest` : undefined, highlight: true });
    return { label, bars };
  };
  return [
    {
      name: 'dynamic-overhead',
      chart: {
        title: 'LIST through the DynamicClient vs @kgo/rest: median time (lower is better)',
        unit: 'ms',
        subtitle: provenance(file),
        groups: [group('against the server', object(data.server)), group('replayed from memory (the layer alone)', object(data.replay))],
      },
    },
  ];
}

function watchDecodeCharts(file: ResultFile): Array<{ name: string; chart: BarChart }> {
  const streaming = rows(object(file.data).streaming).filter((row) => number(row.medianEventsPerSecond) !== undefined);
  const chunkings = [...new Set(streaming.map((row) => text(row.chunking)))];
  return [
    {
      name: 'watch-decode',
      chart: {
        title: 'Watch decoding: events per second (higher is better)',
        unit: 'k events/s',
        subtitle: provenance(file),
        groups: chunkings.map((chunking) => ({
          label: `chunking: ${chunking}`,
          bars: streaming
            .filter((row) => text(row.chunking) === chunking)
            .map((row) => ({ label: clientName(text(row.reader)), value: number(row.medianEventsPerSecond)! / 1000, highlight: isKgo(text(row.reader)) })),
        })),
      },
    },
  ];
}

/** The charts of one results file, each with the name of its SVG (without `.svg`). */
export function chartsFor(file: ResultFile): Array<{ name: string; chart: BarChart }> {
  switch (file.kind) {
    case 'discovery-cache':
      return discoveryCacheCharts(file);
    case 'dynamic-overhead':
      return dynamicCharts(file);
    case 'watch-decode':
      return watchDecodeCharts(file);
  }
}

import { loadavg } from 'node:os';
import type { BenchConnection } from '../cluster.ts';
import type { Implementation, Runner } from '../implementations.ts';
import type { JobConnection } from '../job.ts';
import type { ScenarioId, ScenarioResult } from '../report.ts';

/** The run's settings (full or quick mode); see ../run.ts. */
export interface Settings {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
  listItems: number;
  dataBytes: number;
  listRuns: number;
  createCount: number;
  createWarmup: number;
  watchEvents: number;
  /** Pods of the protobuf scenarios' Pod LIST. */
  podItems: number;
  discoveryCalls: number;
  /** ConfigMaps the informer caches, and how many of them the writer patches once it has synced. */
  informerItems: number;
  informerUpdates: number;
  /** Which implementations run (client-go only when its program is built). */
  implementations: Implementation[];
}

/** What every scenario gets. */
export interface ScenarioContext {
  connection: BenchConnection;
  job: JobConnection;
  runner: Runner;
  settings: Settings;
  scratch: string;
  log(line: string): void;
}

/** `list` rotated by `round`, so that no implementation always runs right after the same other one. */
export function rotated<T>(list: readonly T[], round: number): T[] {
  return list.map((_, i) => list[(i + round) % list.length] as T);
}

/** The implementations of `wanted` that this run has. */
export function available(settings: Settings, wanted: readonly Implementation[]): Implementation[] {
  return wanted.filter((implementation) => settings.implementations.includes(implementation));
}

/** Runs a scenario body, recording the load average around it and its duration. */
export async function timedScenario(id: ScenarioId, body: () => Promise<ScenarioResult['rows']>): Promise<ScenarioResult> {
  const before = loadavg()[0] ?? 0;
  const started = performance.now();
  const rows = await body();
  return { id, rows, loadAverage: { before, after: loadavg()[0] ?? 0 }, seconds: Math.round((performance.now() - started) / 1000) };
}

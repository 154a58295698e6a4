/**
 * A job: one task for one implementation in a process of its own (src/worker.ts for the
 * JavaScript clients, go/ for client-go), so that its CPU time and peak RSS are its own. The job
 * is a JSON file; the process prints one JSON line ({@link JobResult}).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConnection } from './cluster.ts';

/** The server and the PEM files of the pinned CA and the admin's client certificate. */
export interface JobConnection {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export type Task = 'get' | 'list' | 'create' | 'watch' | 'discovery' | 'informer';

/** What a worker is asked to do; the fields of other tasks are absent. Field names are the Go program's too. */
export interface Job extends JobConnection {
  task: Task;
  namespace?: string;
  /** get: the ConfigMap. */
  name?: string;
  /** get: GETs at the highest concurrency before timing; then `durationMs` at each concurrency. */
  warmupMs?: number;
  durationMs?: number;
  concurrencies?: number[];
  /** list: timed lists after one warm-up list, and the item count each must return. discovery: timed calls. */
  runs?: number;
  expectedItems?: number;
  /** create: `warmupCount` creates, then `count` timed ones at `concurrency`, names `namePrefix<i>`. */
  count?: number;
  concurrency?: number;
  namePrefix?: string;
  warmupCount?: number;
  /**
   * The protobuf scenarios: pins the wire format (`json`, or `protobuf` — kgo: the typed clients'
   * `protobuf` option with `coreV1Protobuf`; client-go: its rest config's ContentType). Absent:
   * each implementation's default.
   */
  wire?: 'json' | 'protobuf';
  /** list: what to list, `configmaps` (absent) or `pods`. */
  resource?: 'configmaps' | 'pods';
  /** watch: from this resourceVersion, until `events` events have arrived; `warmupRuns` untimed watches first. */
  resourceVersion?: string;
  events?: number;
  warmupRuns?: number;
  /** informer: once synced, the orchestrator sets the label `updateLabel=updateToken` on `updates` cached objects. */
  updates?: number;
  updateLabel?: string;
  updateToken?: string;
  /** discovery (client-go): cold-aggregated, cold-legacy, warm-memory or warm-disk, with a cache folder. */
  mode?: string;
  cacheDir?: string;
}

/** One GET run at one concurrency. */
export interface GetRun {
  concurrency: number;
  requests: number;
  ms: number;
  /** The process's CPU time during the run (user + system, all threads). */
  cpuMs: number;
}

/** What a worker prints; the fields of other tasks are absent. */
export interface JobResult {
  /** The process's own peak RSS (VmHWM from /proc/self/status), KiB. */
  peakRssKiB: number;
  /** The process's CPU time at the end, start-up included, ms. */
  cpuMs: number;
  /** get */
  runs?: GetRun[];
  /** list */
  warmupMs?: number;
  timesMs?: number[];
  listCpuMs?: number[];
  /** RSS with the client made, before the first request, KiB. */
  startRssKiB?: number;
  /** create (count, ms) and watch (events, ms) */
  count?: number;
  ms?: number;
  createCpuMs?: number;
  events?: number;
  watchCpuMs?: number;
  /** watch: per event, arrival time − the writer's `data.sent`, ms. */
  lagsMs?: number[];
  /** informer: start → synced, and the CPU it took. */
  syncMs?: number;
  syncCpuMs?: number;
  /** informer: objects in the synced cache. */
  cached?: number;
  /** informer: live heap after a full GC (Node: heapUsed + external; Go: HeapAlloc) and VmRSS, before the informer started and once synced. */
  baseHeapBytes?: number;
  heapBytes?: number;
  baseRssKiB?: number;
  rssKiB?: number;
  /** informer: CPU from READY to the last update event (`events` of them, the first to the last in `ms`). */
  updateCpuMs?: number;
  /** discovery */
  callCpuMs?: number[];
  lists?: number;
  requests?: number;
}

/** Writes the connection's PEM data to files in `dir` (mode 0600: a private key). */
export function writeJobConnection(connection: BenchConnection, dir: string): JobConnection {
  const file = (name: string, pem: string) => {
    const path = join(dir, name);
    writeFileSync(path, pem, { mode: 0o600 });
    return path;
  };
  return { server: connection.server, caFile: file('ca.pem', connection.caCert), certFile: file('client.pem', connection.cert), keyFile: file('client-key.pem', connection.key) };
}

/** The writer's wall clock in µs since the epoch, as watch events carry it in `data.sent`. */
export function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A job field the task needs; a clear error when the orchestrator left it out. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`worker: the job has no ${field}`);
  return value;
}

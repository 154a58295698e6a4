/**
 * One client's LIST measurements in a process of its own, so that its peak RSS is its own:
 *
 *   node --conditions=@kgo/source src/list-worker.ts <client>
 *
 * Environment: KGO_BENCH_CONNECTION (a JSON file with the BenchConnection), KGO_BENCH_NAMESPACE,
 * KGO_BENCH_LIST_ITEMS (the expected item count), KGO_BENCH_LIST_RUNS (timed lists after one
 * warm-up list). Prints one JSON line ({@link ListWorkerResult}) on stdout.
 */
import { readFile } from 'node:fs/promises';
import type { BenchConnection } from './cluster.ts';
import { createClient, isClientName } from './clients/index.ts';
import { runMain } from './main.ts';

export interface ListWorkerResult {
  client: string;
  /** RSS after loading the client's code and creating it, before any request (MiB). */
  startRssMiB: number;
  /** Peak RSS of the process (`process.resourceUsage().maxRSS`, MiB). */
  maxRssMiB: number;
  /** The warm-up list (first connection, cold JIT), ms. */
  warmupMs: number;
  /** Each timed list: request sent until the parsed items are in memory, ms. */
  timesMs: number[];
  /** Client CPU time (user + system, all threads of the process) of each timed list, ms. */
  cpuMs: number[];
  items: number;
}

const MIB = 1024 * 1024;

async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  if (!name || !isClientName(name)) throw new Error(`usage: list-worker.ts <raw|raw-gzip|kgo|kgo-identity|client-node>, got ${JSON.stringify(name)}`);
  const connectionFile = required('KGO_BENCH_CONNECTION');
  const namespace = required('KGO_BENCH_NAMESPACE');
  const expected = Number(required('KGO_BENCH_LIST_ITEMS'));
  const runs = Number(process.env.KGO_BENCH_LIST_RUNS ?? '3');

  const connection = JSON.parse(await readFile(connectionFile, 'utf8')) as BenchConnection;
  const client = await createClient(name, connection);
  const startRssMiB = process.memoryUsage().rss / MIB;

  const listOnce = async (): Promise<{ ms: number; cpuMs: number }> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const list = await client.list(namespace);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (list.items.length !== expected) throw new Error(`${name}: listed ${list.items.length} ConfigMaps, expected ${expected}`);
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  };

  const warmupMs = (await listOnce()).ms;
  const timesMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await listOnce();
    timesMs.push(run.ms);
    cpuMs.push(run.cpuMs);
  }
  await client.close();

  const result: ListWorkerResult = {
    client: name,
    startRssMiB,
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
    warmupMs,
    timesMs,
    cpuMs,
    items: expected,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function required(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`list-worker.ts: ${variable} is not set (run.ts sets it)`);
  return value;
}

// runMain exits when main resolves: client-node cannot close its connection pools, and idle
// keep-alive sockets would hold the process open for seconds; the result is written by then.
runMain(main);

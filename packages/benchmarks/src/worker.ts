/**
 * One JavaScript client's task in a process of its own, so that its CPU time and peak RSS are its
 * own (the Go programs under go/ do the same for client-go):
 *
 *   node --conditions=@kgo/source src/worker.ts <client> <job.json>
 *
 * Prints one JSON line ({@link JobResult}) on stdout; a watch also prints `READY` on stderr once
 * the server has answered.
 */
import { readFileSync } from 'node:fs';
import type { BenchConnection } from './cluster.ts';
import { type BenchClient, type ConfigMap, createClient, isClientName } from './clients/index.ts';
import { epochMicros, type GetRun, type Job, type JobResult, required } from './job.ts';
import { cpuMsSince, peakRssKiB } from './proc-status.ts';
import { timedLists } from './timed-lists.ts';

async function main(): Promise<void> {
  const [name, jobFile] = process.argv.slice(2);
  if (!name || !isClientName(name) || !jobFile) throw new Error(`usage: worker.ts <client> <job.json>, got ${JSON.stringify(process.argv.slice(2))}`);
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
  const connection: BenchConnection = {
    server: job.server,
    caCert: readFileSync(job.caFile, 'utf8'),
    cert: readFileSync(job.certFile, 'utf8'),
    key: readFileSync(job.keyFile, 'utf8'),
    gitVersion: undefined,
  };
  let result: Omit<JobResult, 'peakRssKiB' | 'cpuMs'>;
  if (job.task === 'informer') {
    // Its own module: each implementation makes its informer as its users do, not through a BenchClient.
    result = await (await import('./informer-task.ts')).informerTask(name, connection, job);
    report(result);
    return;
  }
  if (job.wire !== undefined) {
    // The protobuf scenarios: the typed ClientSet with the wire format pinned (src/wire-task.ts).
    result = await (await import('./wire-task.ts')).wireTask(name, connection, job);
    report(result);
    return;
  }
  const client = await createClient(name, connection);
  switch (job.task) {
    case 'get':
      result = await getTask(client, job);
      break;
    case 'list':
      result = await listTask(client, job);
      break;
    case 'create':
      result = await createTask(client, job);
      break;
    case 'watch':
      result = await watchTask(client, job);
      break;
    default:
      throw new Error(`worker.ts: no ${job.task} task for the JavaScript clients`);
  }
  await client.close();
  report(result);
}

/** Prints the result with the process's peak RSS and CPU time. */
function report(result: Omit<JobResult, 'peakRssKiB' | 'cpuMs'>): void {
  const cpu = process.cpuUsage();
  const full: JobResult = { ...result, peakRssKiB: peakRssKiB(), cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`${JSON.stringify(full)}\n`);
}

/** GETs of one ConfigMap: a warm-up at the highest concurrency, then `durationMs` at each concurrency. */
async function getTask(client: BenchClient, job: Job): Promise<Pick<JobResult, 'runs'>> {
  const namespace = required(job.namespace, 'namespace');
  const name = required(job.name, 'name');
  const loops = async (concurrency: number, durationMs: number): Promise<GetRun> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const deadline = started + durationMs;
    let requests = 0;
    const loop = async () => {
      while (performance.now() < deadline) {
        const configMap = await client.get(namespace, name);
        if (configMap.metadata?.name !== name) throw new Error(`${client.name}: GET returned ${JSON.stringify(configMap).slice(0, 200)}`);
        requests++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { concurrency, requests, ms: performance.now() - started, cpuMs: cpuMsSince(cpu) };
  };
  const concurrencies = required(job.concurrencies, 'concurrencies');
  await loops(Math.max(...concurrencies), required(job.warmupMs, 'warmupMs'));
  const runs: GetRun[] = [];
  for (const concurrency of concurrencies) runs.push(await loops(concurrency, required(job.durationMs, 'durationMs')));
  return { runs };
}

/** One warm-up LIST, then `runs` timed ones: request sent until the parsed items are in memory. */
async function listTask(client: BenchClient, job: Job): Promise<Pick<JobResult, 'warmupMs' | 'timesMs' | 'listCpuMs' | 'startRssKiB'>> {
  const namespace = required(job.namespace, 'namespace');
  return timedLists(() => client.list(namespace), job, client.name, 'ConfigMaps');
}

/** `warmupCount` creates, then `count` timed creates of small ConfigMaps at `concurrency`. */
async function createTask(client: BenchClient, job: Job): Promise<Pick<JobResult, 'count' | 'ms' | 'createCpuMs'>> {
  const namespace = required(job.namespace, 'namespace');
  const concurrency = required(job.concurrency, 'concurrency');
  const createMany = async (prefix: string, count: number) => {
    let next = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const loop = async () => {
      for (let i = next++; i < count; i = next++) {
        const body: ConfigMap = { metadata: { name: `${prefix}${i}`, labels: { 'kgo-bench': 'create' } }, data: { index: String(i) } };
        const created = await client.create(namespace, body);
        if (created.metadata?.name !== body.metadata?.name) throw new Error(`${client.name}: create returned ${JSON.stringify(created).slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu) };
  };
  const prefix = required(job.namePrefix, 'namePrefix');
  await createMany(`${prefix}w-`, job.warmupCount ?? 0);
  const count = required(job.count, 'count');
  const { ms, cpuMs } = await createMany(prefix, count);
  return { count, ms, createCpuMs: cpuMs };
}

/**
 * Watches the namespace's ConfigMaps from `resourceVersion` until `events` events have arrived:
 * `warmupRuns` untimed watches first (connection, JIT), then the timed one, `READY` on stderr once
 * it is established. Lag: arrival − the writer's `data.sent` (µs since the epoch).
 */
async function watchTask(client: BenchClient, job: Job): Promise<Pick<JobResult, 'events' | 'ms' | 'watchCpuMs' | 'lagsMs'>> {
  for (let i = 0; i < (job.warmupRuns ?? 0); i++) await watchOnce(client, job, false);
  return watchOnce(client, job, true);
}

async function watchOnce(client: BenchClient, job: Job, announce: boolean): Promise<Pick<JobResult, 'events' | 'ms' | 'watchCpuMs' | 'lagsMs'>> {
  const expected = required(job.events, 'events');
  const lagsMs: number[] = [];
  let events = 0;
  let finish: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  let lastMs = 0;
  let failure: Error | undefined;
  const watch = await client.watch(required(job.namespace, 'namespace'), required(job.resourceVersion, 'resourceVersion'), (type, object) => {
    const now = epochMicros();
    // Not thrown: client-node's Watch swallows what its callback throws.
    if (type === 'ERROR') {
      failure ??= new Error(`${client.name}: watch error event ${JSON.stringify(object).slice(0, 300)}`);
      finish();
    }
    const sent = Number(object.data?.sent);
    if (Number.isFinite(sent)) lagsMs.push((now - sent) / 1000);
    if (++events === expected) {
      lastMs = performance.now();
      finish();
    }
  });
  if (announce) process.stderr.write(`READY ${(performance.now() - started).toFixed(1)}\n`);
  // The stream ending (or failing) before the last event is a failure; stopping after it is not.
  await Promise.race([all, watch.done.then(() => Promise.reject(new Error(`${client.name}: the watch ended after ${events} of ${expected} events`)))]);
  const watchCpuMs = cpuMsSince(cpu);
  watch.stop();
  watch.done.catch(() => undefined);
  if (failure) throw failure;
  return { events, ms: lastMs - started, watchCpuMs, lagsMs };
}

main().then(
  // client-node cannot close its connection pools, and idle keep-alive sockets would hold the
  // process open for seconds: the result is written, so leave now.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Benchmarks @kgo/rest against a real kube-apiserver, next to raw undici (the floor) and
 * @kubernetes/client-node. See ../README.md.
 *
 *   pnpm --filter @kgo/benchmarks bench
 *
 * Prints a markdown table on stdout (progress on stderr) and writes the figures to
 * results/<date>.json.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchCluster, openCluster } from './cluster.ts';
import { type BenchClient, type ClientName, createClient } from './clients/index.ts';
import { createFixtures, deleteFixtures, GET_NAME, GET_NAMESPACE, LIST_NAMESPACE } from './fixtures.ts';
import type { ListWorkerResult } from './list-worker.ts';
import { formatReport, type GetRow, type ListRow, type Report } from './report.ts';
import { median } from './stats.ts';
import { runMain } from './main.ts';

const settings = {
  /** Length of one timed GET run (one client, one concurrency, one round). */
  durationMs: numberFromEnv('KGO_BENCH_DURATION_MS', 3000),
  /** GETs at concurrency 16 per client before the first round (connections, JIT). */
  warmupMs: numberFromEnv('KGO_BENCH_WARMUP_MS', 1000),
  /** Rounds; the clients take turns within each, and the median round is reported. */
  rounds: numberFromEnv('KGO_BENCH_ROUNDS', 3),
  concurrency: numberFromEnv('KGO_BENCH_CONCURRENCY', 16),
  listItems: numberFromEnv('KGO_BENCH_LIST_ITEMS', 5000),
  /** Bytes of `data` per listed ConfigMap: ~1.5 KB, ~2 KB per object with metadata, ~10 MB in all. */
  dataBytes: numberFromEnv('KGO_BENCH_DATA_BYTES', 1500),
  /** Timed lists per worker process, after one warm-up list. */
  listRuns: numberFromEnv('KGO_BENCH_LIST_RUNS', 5),
  /** `get`, `list` or both (default). */
  scenarios: (process.env.KGO_BENCH_SCENARIOS ?? 'get,list').split(',').map((s) => s.trim()),
};

const GET_CLIENTS: ClientName[] = ['raw', 'kgo', 'client-node'];
const LIST_CLIENTS: ClientName[] = ['raw', 'raw-gzip', 'kgo', 'kgo-identity', 'client-node'];

const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const started = performance.now();
  // Other work on the machine skews the figures (2 cores, shared with the API server and etcd).
  const loadBefore = loadavg()[0] ?? 0;
  // Before anything runs: the sources this process loaded.
  const kgoRestSource = await sourceFingerprint();
  const cluster = await openCluster(log);
  const scratch = await mkdtemp(join(tmpdir(), 'kgo-bench-'));
  try {
    const connectionFile = join(scratch, 'connection.json');
    await writeFile(connectionFile, JSON.stringify(cluster.connection), { mode: 0o600 });

    log(`creating fixtures (${settings.listItems} ConfigMaps of ~${settings.dataBytes} bytes of data)…`);
    const fixtures = await createFixtures(cluster.connection, settings.listItems, settings.dataBytes, log);
    log(`LIST body: ${(fixtures.listResponseBytes / 1024 / 1024).toFixed(1)} MiB uncompressed`);

    const get = settings.scenarios.includes('get') ? await getScenario(cluster) : [];
    const list = settings.scenarios.includes('list') ? await listScenario(connectionFile) : [];

    const report: Report = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}/${process.arch}`,
        loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
      },
      kubernetes: cluster.connection.gitVersion ?? 'unknown',
      cluster: { source: cluster.source, startupMs: cluster.startupMs, binaries: cluster.binariesSource },
      libraries: await libraryVersions(),
      kgoRestSource: { ...kgoRestSource, changedDuringRun: false },
      settings: { ...settings, getClients: GET_CLIENTS, listClients: LIST_CLIENTS },
      fixtures,
      get,
      list,
      totalSeconds: 0,
    };
    report.totalSeconds = Math.round((performance.now() - started) / 1000);
    // List workers load @kgo/rest when they start: an edit during the run mixes two versions.
    report.kgoRestSource.changedDuringRun = (await sourceFingerprint()).sha256 !== kgoRestSource.sha256;
    if (report.kgoRestSource.changedDuringRun) log('WARNING: @kgo/rest sources changed during the run: the figures mix two versions of the code; run again');

    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    const resultsFile = join(resultsDir, `${report.date.slice(0, 10)}.json`);
    await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(formatReport(report));
    log(`\nwrote ${resultsFile} (${report.totalSeconds} s in all)`);

    if (!cluster.managed && process.env.KGO_BENCH_KEEP !== '1') await deleteFixtures(cluster.connection);
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await cluster.stop();
  }
}

/** GETs of one small ConfigMap, sequentially and at `concurrency`, clients taking turns each round. */
async function getScenario(cluster: BenchCluster): Promise<GetRow[]> {
  const clients = new Map<ClientName, BenchClient>();
  for (const name of GET_CLIENTS) clients.set(name, await createClient(name, cluster.connection));
  try {
    for (const [name, client] of clients) {
      await throughput(client, settings.concurrency, settings.warmupMs);
      log(`GET warm-up: ${name} done`);
    }
    const rows: GetRow[] = [];
    for (const concurrency of [1, settings.concurrency]) {
      const perClient = new Map<ClientName, number[]>(GET_CLIENTS.map((name) => [name, []]));
      const cpuPerClient = new Map<ClientName, number[]>(GET_CLIENTS.map((name) => [name, []]));
      for (let round = 0; round < settings.rounds; round++) {
        // Rotate the order each round, so no client always runs right after the same other one.
        const order = GET_CLIENTS.map((_, i) => GET_CLIENTS[(i + round) % GET_CLIENTS.length] as ClientName);
        for (const name of order) {
          const { rps, cpuUs } = await throughput(clients.get(name) as BenchClient, concurrency, settings.durationMs);
          perClient.get(name)?.push(rps);
          cpuPerClient.get(name)?.push(cpuUs);
          log(`GET c=${concurrency} round ${round + 1}: ${name.padEnd(11)} ${Math.round(rps)} req/s, client CPU ${Math.round(cpuUs)} µs/request`);
        }
      }
      for (const [client, rounds] of perClient) {
        const cpuUs = cpuPerClient.get(client) ?? [];
        rows.push({ client, concurrency, rounds, median: median(rounds), cpuUsPerRequest: cpuUs, medianCpuUs: median(cpuUs) });
      }
    }
    return rows;
  } finally {
    for (const client of clients.values()) await client.close();
  }
}

/**
 * Requests per second of GETs of the small ConfigMap, `concurrency` loops for `durationMs`, and
 * the client's CPU time per request (this process, all threads: the clients take turns, so it
 * is the running client's).
 */
async function throughput(client: BenchClient, concurrency: number, durationMs: number): Promise<{ rps: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  let completed = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      const configMap = await client.get(GET_NAMESPACE, GET_NAME);
      if (configMap.metadata?.name !== GET_NAME) throw new Error(`${client.name}: GET returned ${JSON.stringify(configMap).slice(0, 200)}`);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rps: (completed / elapsed) * 1000, cpuUs: (used.user + used.system) / completed };
}

/** LIST of every ConfigMap of the list namespace, each client in worker processes of its own (peak RSS). */
async function listScenario(connectionFile: string): Promise<ListRow[]> {
  const results = new Map<ClientName, ListWorkerResult[]>(LIST_CLIENTS.map((name) => [name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = LIST_CLIENTS.map((_, i) => LIST_CLIENTS[(i + round) % LIST_CLIENTS.length] as ClientName);
    for (const name of order) {
      const result = await runListWorker(name, connectionFile);
      results.get(name)?.push(result);
      log(
        `LIST round ${round + 1}: ${name.padEnd(12)} ${result.timesMs.map((ms) => Math.round(ms)).join(', ')} ms ` +
          `(warm-up ${Math.round(result.warmupMs)} ms), client CPU ${result.cpuMs.map((ms) => Math.round(ms)).join(', ')} ms, peak RSS ${result.maxRssMiB.toFixed(0)} MiB (at start ${result.startRssMiB.toFixed(0)} MiB)`,
      );
    }
  }
  return [...results].map(([client, workers]) => ({
    client,
    timesMs: workers.flatMap((worker) => worker.timesMs),
    medianMs: median(workers.flatMap((worker) => worker.timesMs)),
    cpuMs: workers.flatMap((worker) => worker.cpuMs),
    medianCpuMs: median(workers.flatMap((worker) => worker.cpuMs)),
    maxRssMiB: workers.map((worker) => worker.maxRssMiB),
    medianMaxRssMiB: median(workers.map((worker) => worker.maxRssMiB)),
    medianStartRssMiB: median(workers.map((worker) => worker.startRssMiB)),
  }));
}

function runListWorker(client: ClientName, connectionFile: string): Promise<ListWorkerResult> {
  const worker = fileURLToPath(new URL('./list-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, worker, client],
      {
        env: {
          ...process.env,
          KGO_BENCH_CONNECTION: connectionFile,
          KGO_BENCH_NAMESPACE: LIST_NAMESPACE,
          KGO_BENCH_LIST_ITEMS: String(settings.listItems),
          KGO_BENCH_LIST_RUNS: String(settings.listRuns),
        },
        maxBuffer: 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`list worker ${client} failed: ${error.message}\n${stderr}`));
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as ListWorkerResult);
        } catch {
          reject(new Error(`list worker ${client} printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

async function libraryVersions(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  // pnpm links each dependency under node_modules; ky is @kgo/rest's own dependency.
  const files: Record<string, string> = {
    '@kgo/rest': '../node_modules/@kgo/rest/package.json',
    ky: '../node_modules/@kgo/rest/node_modules/ky/package.json',
    undici: '../node_modules/undici/package.json',
    '@kubernetes/client-node': '../node_modules/@kubernetes/client-node/package.json',
  };
  for (const [name, file] of Object.entries(files)) {
    try {
      versions[name] = (JSON.parse(await readFile(new URL(file, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = 'unknown';
    }
  }
  return versions;
}

/**
 * A fingerprint of @kgo/rest's sources (sha256 over its non-test src files), to tell which state
 * of the code a result measured: the workspace runs @kgo/rest from source.
 */
async function sourceFingerprint(): Promise<{ sha256: string; files: number; newest: string }> {
  // The kgo clients load this workspace's @kgo/rest, or the copy KGO_BENCH_REST names.
  const rest = process.env.KGO_BENCH_REST;
  const dir = rest ? dirname(rest) : fileURLToPath(new URL('../node_modules/@kgo/rest/src/', import.meta.url));
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  const hash = createHash('sha256');
  let newest = 0;
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(join(dir, file))).update('\0');
    newest = Math.max(newest, (await stat(join(dir, file))).mtimeMs);
  }
  return { sha256: hash.digest('hex').slice(0, 16), files: files.length, newest: new Date(newest).toISOString() };
}

function numberFromEnv(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${variable}=${value} is not a positive number`);
  return number;
}

runMain(main);

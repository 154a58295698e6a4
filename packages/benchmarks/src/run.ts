/**
 * kgo against every peer, one envtest control plane per run: raw undici (the floor), kgo's rest,
 * typed and dynamic layers, @kubernetes/client-node and client-go (Go programs under go/), plus
 * kubectl for discovery. See ../README.md and docs/benchmarks.md.
 *
 *   pnpm --filter @kgo/benchmarks bench             # every scenario, 3 rounds (~10 minutes on 2 quiet cores)
 *   pnpm --filter @kgo/benchmarks bench --quick     # 1 round, smaller fixtures (a harness check, not figures)
 *
 * Prints markdown on stdout (progress on stderr) and writes results/<date>.json (quick mode:
 * results/<date>-quick.json, not committed; KGO_BENCH_RESULTS_DIR moves both).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crdFixtures } from '@kgo/discovery/test';
import { appScenario } from './app-row.ts';
import { clientGoBinary, clientGoVersion } from './client-go.ts';
import { openCluster } from './cluster.ts';
import { createFixtures, deleteFixtures } from './fixtures.ts';
import type { Implementation } from './implementations.ts';
import { writeJobConnection } from './job.ts';
import { formatReport, type Report, type ScenarioResult } from './report.ts';
import type { ScenarioContext, Settings } from './scenarios/context.ts';
import { createScenario } from './scenarios/create.ts';
import { discoveryScenarios } from './scenarios/discovery.ts';
import { getScenarios } from './scenarios/get.ts';
import { informerScenarios } from './scenarios/informer.ts';
import { listScenario } from './scenarios/list.ts';
import { protobufScenarios } from './scenarios/protobuf.ts';
import { watchScenarios } from './scenarios/watch.ts';

const quick = process.argv.includes('--quick') || process.env.KGO_BENCH_QUICK === '1';
const ALL_SCENARIOS = ['get', 'list', 'create', 'watch', 'informer', 'discovery', 'app', 'protobuf'] as const;
const ALL_IMPLEMENTATIONS: Implementation[] = ['raw', 'raw-gzip', 'kgo-rest', 'kgo-rest-baseline', 'kgo-identity', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'];

const settings: Settings & { dataBytes: number } = {
  /** Rounds: implementations take turns within each, in a rotating order. */
  rounds: numberFromEnv('KGO_BENCH_ROUNDS', quick ? 1 : 3),
  /** Length of one timed GET run (one implementation, one concurrency, one round). */
  durationMs: numberFromEnv('KGO_BENCH_DURATION_MS', quick ? 1000 : 3000),
  /** GETs at the highest concurrency in each worker before timing (connections, JIT). */
  warmupMs: numberFromEnv('KGO_BENCH_WARMUP_MS', quick ? 300 : 1000),
  concurrency: numberFromEnv('KGO_BENCH_CONCURRENCY', 16),
  listItems: numberFromEnv('KGO_BENCH_LIST_ITEMS', quick ? 1000 : 5000),
  /** Bytes of `data` per listed ConfigMap: ~1.5 KB, ~2 KB per object with metadata, ~10 MB for 5,000. */
  dataBytes: numberFromEnv('KGO_BENCH_DATA_BYTES', 1500),
  /** Timed lists per worker process, after one warm-up list. */
  listRuns: numberFromEnv('KGO_BENCH_LIST_RUNS', quick ? 2 : 5),
  createCount: numberFromEnv('KGO_BENCH_CREATE_COUNT', quick ? 200 : 1000),
  createWarmup: numberFromEnv('KGO_BENCH_CREATE_WARMUP', quick ? 20 : 100),
  watchEvents: numberFromEnv('KGO_BENCH_WATCH_EVENTS', quick ? 1000 : 10_000),
  podItems: numberFromEnv('KGO_BENCH_POD_ITEMS', quick ? 200 : 2000),
  /** Timed discovery calls per implementation per round. */
  discoveryCalls: numberFromEnv('KGO_BENCH_DISCOVERY_CALLS', quick ? 2 : 5),
  informerItems: numberFromEnv('KGO_BENCH_INFORMER_ITEMS', quick ? 1000 : 10_000),
  /** Patches of cached objects once the informer has synced (each object once by default). */
  informerUpdates: 0,
  implementations: ALL_IMPLEMENTATIONS.filter(
    (name) =>
      (name !== 'client-go' || process.env.KGO_BENCH_CLIENT_GO !== 'off') &&
      (name !== 'kgo-rest-baseline' || Boolean(process.env.KGO_BENCH_REST_BASELINE)) &&
      (!process.env.KGO_BENCH_IMPLEMENTATIONS || process.env.KGO_BENCH_IMPLEMENTATIONS.split(',').map((item) => item.trim()).includes(name)),
  ),
};
settings.informerUpdates = numberFromEnv('KGO_BENCH_INFORMER_UPDATES', settings.informerItems);
const scenarios = (process.env.KGO_BENCH_SCENARIOS ?? ALL_SCENARIOS.join(',')).split(',').map((s) => s.trim());

const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const kgoRestSource = sourceFingerprint();
  const clientGo = settings.implementations.includes('client-go') ? await clientGoBinary(log) : undefined;
  const cluster = await openCluster(log);
  const scratch = mkdtempSync(join(tmpdir(), 'kgo-bench-'));
  try {
    const context: ScenarioContext = {
      connection: cluster.connection,
      job: writeJobConnection(cluster.connection, scratch),
      runner: { clientGo, scratch },
      settings,
      scratch,
      log,
    };
    log(`fixtures: ${settings.listItems} ConfigMaps of ~${settings.dataBytes} bytes of data…`);
    const fixtures = await createFixtures(cluster.connection, scenarios.includes('list') ? settings.listItems : 0, settings.dataBytes, log);
    const results: ScenarioResult[] = [];
    if (scenarios.includes('get')) results.push(...(await getScenarios(context)));
    if (scenarios.includes('list')) results.push(await listScenario(context));
    if (scenarios.includes('create')) results.push(await createScenario(context));
    if (scenarios.includes('watch')) results.push(...(await watchScenarios(context)));
    if (scenarios.includes('informer')) results.push(...(await informerScenarios(context)));
    if (scenarios.includes('discovery')) results.push(...(await discoveryScenarios(context)));
    if (scenarios.includes('app')) results.push(appScenario(fileURLToPath(new URL('../results/', import.meta.url))));
    if (scenarios.includes('protobuf')) results.push(...(await protobufScenarios(context)));

    const report: Report = {
      schema: 2,
      date: new Date().toISOString(),
      quick,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}/${process.arch}`,
        loadAverage: { before: loadBefore, after: loadavg() },
      },
      kubernetes: cluster.connection.gitVersion ?? 'unknown',
      cluster: { source: cluster.source, startupMs: cluster.startupMs, binaries: cluster.binariesSource },
      versions: await versions(clientGo !== undefined),
      kgoRestSource: { ...kgoRestSource, changedDuringRun: false },
      settings: {
        ...settings,
        listMiB: Math.round((fixtures.listResponseBytes / 2 ** 20) * 10) / 10,
        listResponseBytes: fixtures.listResponseBytes,
        crds: crdFixtures({ suite: 'bench' }).length,
        scenarios,
      },
      scenarios: results,
      totalSeconds: 0,
    };
    report.totalSeconds = Math.round((performance.now() - started) / 1000);
    // Workers load @kgo/rest when they start: an edit during the run mixes two versions.
    report.kgoRestSource.changedDuringRun = sourceFingerprint().sha256 !== kgoRestSource.sha256;
    if (report.kgoRestSource.changedDuringRun) log('WARNING: @kgo/rest sources changed during the run: the figures mix two versions of the code; run again');

    const dir = resultsDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${report.date.slice(0, 10)}${quick ? '-quick' : ''}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(formatReport(report));
    log(`\nwrote ${file} (${report.totalSeconds} s in all)`);

    // A cluster this run did not start (a shared test cluster, a kubeconfig's) is left as found.
    if (cluster.source !== 'envtest' && process.env.KGO_BENCH_KEEP !== '1') await deleteFixtures(cluster.connection, settings.listItems, settings.informerItems, settings.podItems, settings.watchEvents);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await cluster.stop();
  }
}

function resultsDir(): string {
  return process.env.KGO_BENCH_RESULTS_DIR || fileURLToPath(new URL('../results/', import.meta.url));
}

async function versions(withClientGo: boolean): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  // pnpm links each dependency under node_modules; ky and undici as @kgo/rest resolves them.
  const files: Record<string, string> = {
    '@kgo/rest': '../node_modules/@kgo/rest/package.json',
    '@kgo/typed': '../node_modules/@kgo/typed/package.json',
    '@kgo/dynamic': '../node_modules/@kgo/dynamic/package.json',
    '@kgo/discovery': '../node_modules/@kgo/discovery/package.json',
    ky: '../node_modules/@kgo/rest/node_modules/ky/package.json',
    undici: '../node_modules/@kgo/rest/node_modules/undici/package.json',
    '@kubernetes/client-node': '../node_modules/@kubernetes/client-node/package.json',
  };
  for (const [name, file] of Object.entries(files)) {
    try {
      result[name] = (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      result[name] = 'unknown';
    }
  }
  if (withClientGo) {
    result['k8s.io/client-go'] = clientGoVersion();
    result.go = (await promisify(execFile)('go', ['env', 'GOVERSION'])).stdout.trim();
  }
  const kubectlVersion = await promisify(execFile)('kubectl', ['version', '--client', '-o', 'json'], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } }).catch(() => undefined);
  result.kubectl = kubectlVersion ? ((JSON.parse(kubectlVersion.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown') : 'not found';
  return result;
}

/**
 * A fingerprint of @kgo/rest's sources (sha256 over its non-test src files), to tell which state
 * of the code a result measured: the workspace runs @kgo/rest from source.
 */
function sourceFingerprint(): { sha256: string; files: number; newest: string } {
  const dir = fileURLToPath(new URL('../node_modules/@kgo/rest/src/', import.meta.url));
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  const hash = createHash('sha256');
  let newest = 0;
  for (const file of files) {
    hash.update(file).update('\0').update(readFileSync(join(dir, file))).update('\0');
    newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

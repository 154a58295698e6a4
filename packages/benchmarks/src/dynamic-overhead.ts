/**
 * What the DynamicClient adds on top of @kgo/rest: LIST 5,000 ConfigMaps (~10 MB of JSON)
 * through `DynamicClient.resource(configmaps).namespace(ns).list()` and through a RestClient's
 * `get().namespace(ns).resource('configmaps').do().into()`, in one process, over one HttpClient
 * (same pool, same settings), taking turns in an ABBA order so drift hits both alike.
 *
 *   pnpm --filter @kgo/benchmarks bench:dynamic
 *
 * Two parts: against the server (what a caller sees), and a replay of the same response body from
 * memory to both paths (no server, no network: the layer's own cost, without the noise of a
 * shared machine). Quick by default (2 warm-up lists each, then 8 rounds of 2 lists each per
 * path and part); `KGO_BENCH_ROUNDS` sets the rounds. Prints a markdown table (progress on
 * stderr) and writes results/dynamic-overhead-<date>.json. Cluster selection as in run.ts
 * (KGO_TEST_CLUSTER, KGO_TEST_KUBECONFIG, else a fresh envtest control plane).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamicClient } from '@kgo/dynamic';
import { HttpClient, type RequestRecipe, type ResponsePromise, RestClient, type RestConfig, Result } from '@kgo/rest';
import { openCluster } from './cluster.ts';
import { createFixtures, deleteFixtures, LIST_NAMESPACE } from './fixtures.ts';
import { median } from './stats.ts';

const ITEMS = Number(process.env.KGO_BENCH_LIST_ITEMS ?? 5000);
const DATA_BYTES = Number(process.env.KGO_BENCH_DATA_BYTES ?? 1500);
const ROUNDS = Number(process.env.KGO_BENCH_ROUNDS ?? 8);
const WARMUP = 2;
const GOAL = 1.05;

type Path = 'rest' | 'dynamic';
type Lists = Record<Path, () => Promise<{ items: unknown[] }>>;

interface Sample {
  ms: number;
  /** CPU of the whole process (zlib's thread pool and GC helpers included). */
  cpuMs: number;
  /** CPU of the main thread alone, where everything the two paths do differently runs. */
  mainCpuMs: number;
}

interface PathSummary {
  medianMs: number;
  minMs: number;
  medianCpuMs: number;
  medianMainCpuMs: number;
  samples: Sample[];
}

interface PartResult {
  rest: PathSummary;
  dynamic: PathSummary;
  /** dynamic / rest of each figure, and the median of the per-round time ratios. */
  ratios: { medianTime: number; fastest: number; processCpu: number; mainThreadCpu: number; pairedTime: number };
}

/** `process.threadCpuUsage()` (Node ≥ 23.9): this thread's CPU time. */
const threadCpuUsage = (process as unknown as { threadCpuUsage(previous?: NodeJS.CpuUsage): NodeJS.CpuUsage }).threadCpuUsage.bind(process);

const log = (line: string) => console.error(line);

/**
 * An HttpClient that answers every request with one recorded 200 response, from memory: both
 * paths then do exactly their own work (build the request, decode, and for the DynamicClient
 * type the items) and nothing else.
 */
class ReplayHttpClient extends HttpClient {
  readonly #body: Uint8Array;

  constructor(config: RestConfig, body: Uint8Array) {
    super(config);
    this.#body = body;
  }

  override do(recipe: RequestRecipe): ResponsePromise {
    const result = new Result(200, new Headers({ 'content-type': 'application/json' }), this.#body, [], { verb: recipe.method, url: recipe.url.href });
    const promise = Promise.resolve(result) as ResponsePromise;
    promise.into = <T>() => promise.then((value) => value.into<T>());
    promise.text = () => promise.then((value) => value.text());
    promise.raw = () => promise.then((value) => value.body);
    return promise;
  }
}

/** Both paths over one HttpClient. */
function listsOver(http: HttpClient): Lists {
  const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
  const configMaps = new DynamicClient(http).resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace(LIST_NAMESPACE);
  return {
    rest: () => core.get().namespace(LIST_NAMESPACE).resource('configmaps').do().into<{ items: unknown[] }>(),
    dynamic: () => configMaps.list(),
  };
}

async function once(lists: Lists, path: Path): Promise<Sample> {
  // A collection between runs, so one path does not pay for the other's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const mainCpu = threadCpuUsage();
  const started = performance.now();
  const list = await lists[path]();
  const ms = performance.now() - started;
  const usedMain = threadCpuUsage(mainCpu);
  const used = process.cpuUsage(cpu);
  if (list.items.length !== ITEMS) throw new Error(`${path}: listed ${list.items.length} ConfigMaps, expected ${ITEMS}`);
  return { ms, cpuMs: (used.user + used.system) / 1000, mainCpuMs: (usedMain.user + usedMain.system) / 1000 };
}

async function measure(part: string, lists: Lists): Promise<PartResult> {
  for (let i = 0; i < WARMUP; i++) for (const path of ['rest', 'dynamic'] as const) await once(lists, path);
  const samples: Record<Path, Sample[]> = { rest: [], dynamic: [] };
  const pairedRatios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA: each path runs first in half the rounds.
    const order: Path[] = round % 2 === 0 ? ['rest', 'dynamic', 'dynamic', 'rest'] : ['dynamic', 'rest', 'rest', 'dynamic'];
    const roundSamples: Record<Path, Sample[]> = { rest: [], dynamic: [] };
    for (const path of order) roundSamples[path].push(await once(lists, path));
    const mean = (path: Path) => roundSamples[path].reduce((sum, sample) => sum + sample.ms, 0) / roundSamples[path].length;
    for (const path of ['rest', 'dynamic'] as const) samples[path].push(...roundSamples[path]);
    pairedRatios.push(mean('dynamic') / mean('rest'));
    log(`${part} round ${round + 1}/${ROUNDS}: rest ${mean('rest').toFixed(1)} ms, dynamic ${mean('dynamic').toFixed(1)} ms`);
  }
  // On a shared machine the fastest run is the one least disturbed by others; the median is the typical one.
  const summary = (path: Path): PathSummary => ({
    medianMs: median(samples[path].map((s) => s.ms)),
    minMs: Math.min(...samples[path].map((s) => s.ms)),
    medianCpuMs: median(samples[path].map((s) => s.cpuMs)),
    medianMainCpuMs: median(samples[path].map((s) => s.mainCpuMs)),
    samples: samples[path],
  });
  const rest = summary('rest');
  const dynamic = summary('dynamic');
  return {
    rest,
    dynamic,
    ratios: {
      medianTime: dynamic.medianMs / rest.medianMs,
      fastest: dynamic.minMs / rest.minMs,
      processCpu: dynamic.medianCpuMs / rest.medianCpuMs,
      mainThreadCpu: dynamic.medianMainCpuMs / rest.medianMainCpuMs,
      pairedTime: median(pairedRatios),
    },
  };
}

function formatPart(title: string, result: PartResult): string[] {
  const row = (name: string, s: PathSummary) =>
    `| ${title} | ${name} | ${s.medianMs.toFixed(1)} | ${s.minMs.toFixed(1)} | ${s.medianCpuMs.toFixed(1)} | ${s.medianMainCpuMs.toFixed(1)} |`;
  const r = result.ratios;
  const ratio = (value: number) => `**${value.toFixed(3)}**${value <= GOAL ? '' : ' (over)'}`;
  return [
    row('@kgo/rest RestClient', result.rest),
    row('@kgo/dynamic DynamicClient', result.dynamic),
    `| ${title} | dynamic / rest | ${ratio(r.medianTime)} | ${ratio(r.fastest)} | ${ratio(r.processCpu)} | ${ratio(r.mainThreadCpu)} |`,
  ];
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const cluster = await openCluster(log);
  try {
    const { connection } = cluster;
    log(`fixtures: ${ITEMS} ConfigMaps of ~${DATA_BYTES} bytes of data in ${LIST_NAMESPACE}…`);
    const fixtures = await createFixtures(connection, ITEMS, DATA_BYTES, log);
    const config: RestConfig = { host: connection.server, tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key }, qps: -1 };

    await using http = new HttpClient(config);
    const server = await measure('server', listsOver(http));
    const body = await new RestClient(http, { groupVersion: { group: '', version: 'v1' } }).get().namespace(LIST_NAMESPACE).resource('configmaps').do().raw();
    await using replayHttp = new ReplayHttpClient(config, body);
    const replay = await measure('replay', listsOver(replayHttp));

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 } },
      kubernetes: connection.gitVersion ?? 'unknown',
      settings: { items: ITEMS, dataBytes: DATA_BYTES, rounds: ROUNDS, listsPerPathPerRound: 2, warmup: WARMUP, gcBetweenRuns: typeof (globalThis as { gc?: unknown }).gc === 'function', goal: GOAL },
      listResponseBytes: fixtures.listResponseBytes,
      server,
      replay,
    };
    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `dynamic-overhead-${report.date.slice(0, 10)}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);

    process.stdout.write(
      [
        `LIST ${ITEMS} ConfigMaps (${(fixtures.listResponseBytes / 2 ** 20).toFixed(1)} MiB), ${ROUNDS} rounds × 2 lists per path, ` +
          `load average ${loadBefore.toFixed(1)} → ${report.machine.loadAverage.after.toFixed(1)} on ${report.machine.cpus} CPUs`,
        '',
        '| part | path | median time (ms) | fastest (ms) | median process CPU (ms) | median main-thread CPU (ms) |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
        ...formatPart('server', server),
        ...formatPart('replay', replay),
        '',
        `goal: dynamic / rest ≤ ${GOAL}; median of per-round time ratios: server ${server.ratios.pairedTime.toFixed(3)}, replay ${replay.ratios.pairedTime.toFixed(3)}`,
        '',
      ].join('\n'),
    );
    log(`wrote ${file}`);
    if (!cluster.managed && process.env.KGO_BENCH_KEEP !== '1') await deleteFixtures(connection);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

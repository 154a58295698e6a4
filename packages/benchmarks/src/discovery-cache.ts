/**
 * Full discovery through @kgo/discovery-cache with the CRD fixture set installed (64 CRDs in 32
 * groups): wall time of `serverGroupsAndResources()` cold (aggregated, 2 requests), with an
 * expired disk cache revalidated through the HTTP cache (2 × 304), from a warm memory cache and
 * from a warm disk cache (0 requests) — in this process and in a fresh process (a CLI's start).
 *
 *   pnpm --filter @kgo/benchmarks bench:discovery-cache          # quick (the default)
 *   KGO_BENCH_ITERATIONS=200 pnpm --filter @kgo/benchmarks bench:discovery-cache
 *
 * Prints a markdown table on stdout (progress on stderr) and writes results/discovery-cache-<date>.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile, readdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DiscoveryClient } from '@kgo/discovery';
import { crdFixtures, deleteCrdFixtures, installCrdFixtures } from '@kgo/discovery/test';
import { DiskCacheClient, MemoryCacheClient, newCachedDiscoveryClientForConfig } from '@kgo/discovery-cache';
import type { RestConfig } from '@kgo/rest';
import { openCluster } from './cluster.ts';
import { median } from './stats.ts';

const SUITE = 'bench';
const iterations = Number(process.env.KGO_BENCH_ITERATIONS ?? 30);
const processRuns = Number(process.env.KGO_BENCH_PROCESS_RUNS ?? 3);
const log = (line: string) => console.error(line);

interface Row {
  scenario: string;
  requests: string;
  /** Wall time. */
  medianMs: number;
  minMs: number;
  /** This process's CPU time (user + system) for the same call: less sensitive to other load on the machine. */
  medianCpuMs: number;
  runs: number;
}

type Timing = Omit<Row, 'scenario' | 'requests'>;

async function time(runs: number, body: () => Promise<unknown>, before?: () => Promise<void>): Promise<Timing> {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await body();
    samples.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  return { medianMs: median(samples), minMs: Math.min(...samples), medianCpuMs: median(cpu), runs };
}

async function age(dir: string, ms: number): Promise<void> {
  const when = (Date.now() - ms) / 1000;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), when, when);
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const cluster = await openCluster(log);
  const scratch = await mkdtemp(join(tmpdir(), 'kgo-bench-discovery-'));
  const { server, caCert, cert, key } = cluster.connection;
  const config: RestConfig = { host: server, tls: { caData: caCert, certData: cert, keyData: key }, qps: -1 };
  try {
    log('installing the CRD fixture set (64 CRDs in 32 groups)…');
    await installCrdFixtures(config, crdFixtures({ suite: SUITE }));
    const live = await new DiscoveryClient(config).serverGroupsAndResources();
    const lists = live.resources.length;
    const resources = live.resources.reduce((sum, list) => sum + list.resources.length, 0);
    log(`${live.groups.length} groups, ${lists} group-versions, ${resources} resources`);
    const rows: Row[] = [];

    const cold = await time(Math.min(iterations, 10), () => new DiscoveryClient(config).serverGroupsAndResources());
    rows.push({ scenario: 'cold, aggregated (no cache)', requests: '2', ...cold });

    const memory = new MemoryCacheClient(new DiscoveryClient(config));
    await memory.serverGroupsAndResources();
    rows.push({ scenario: 'warm memory', requests: '0', ...(await time(iterations, () => memory.serverGroupsAndResources())) });

    const discoveryDir = join(scratch, 'discovery');
    const httpCacheDir = join(scratch, 'http');
    const options = { discoveryDir, httpCacheDir, ttlMs: 3_600_000 };
    await newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources();
    rows.push({
      scenario: 'warm disk, new client each time (this process)',
      requests: '0',
      ...(await time(iterations, () => new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(config)), { directory: discoveryDir }).serverGroupsAndResources())),
    });

    const expired = await time(
      Math.min(iterations, 10),
      () => newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources(),
      () => age(discoveryDir, 2 * 3_600_000),
    );
    rows.push({ scenario: 'expired disk cache, revalidated by the HTTP cache', requests: '2 (304)', ...expired });

    // A fresh process: module loading aside, the first call on a warm disk cache (what a CLI pays).
    const connectionFile = join(scratch, 'connection.json');
    await writeFile(connectionFile, JSON.stringify(cluster.connection), { mode: 0o600 });
    const worker = fileURLToPath(new URL('./discovery-cache-worker.ts', import.meta.url));
    const firstCalls: { firstCallMs: number; firstCallCpuMs: number }[] = [];
    for (let i = 0; i < processRuns; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@kgo/source', worker, connectionFile, discoveryDir]);
      firstCalls.push(JSON.parse(stdout) as { firstCallMs: number; firstCallCpuMs: number });
    }
    const wall = firstCalls.map((call) => call.firstCallMs);
    rows.push({
      scenario: 'warm disk, first call in a fresh process',
      requests: '0',
      medianMs: median(wall),
      minMs: Math.min(...wall),
      medianCpuMs: median(firstCalls.map((call) => call.firstCallCpuMs)),
      runs: processRuns,
    });

    const report = {
      date: new Date().toISOString(),
      kubernetes: cluster.connection.gitVersion ?? 'unknown',
      node: process.version,
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
      cluster: { groups: live.groups.length, groupVersions: lists, resources },
      rows,
    };
    console.log(`| scenario | requests | median ms | min ms | median CPU ms | runs |\n| --- | --- | --- | --- | --- | --- |`);
    for (const row of rows) {
      console.log(`| ${row.scenario} | ${row.requests} | ${row.medianMs.toFixed(2)} | ${row.minMs.toFixed(2)} | ${row.medianCpuMs.toFixed(2)} | ${row.runs} |`);
    }
    console.log(`\n${live.groups.length} groups, ${lists} group-versions, ${resources} resources; load average ${loadBefore.toFixed(1)} → ${report.loadAverage.after.toFixed(1)}`);
    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, `discovery-cache-${report.date.slice(0, 10)}.json`), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await deleteCrdFixtures(config, SUITE).catch(() => {});
    await rm(scratch, { recursive: true, force: true });
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

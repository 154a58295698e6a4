/**
 * Keeps the harness working: runs `bench --quick` against the test cluster and checks that the
 * results JSON has every scenario with every implementation's row, and that every chart draws.
 * It never fails on a figure: the figures of a quick run on a shared machine mean little.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTestCluster } from '@kgo/envtest';
import { testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARTS, chartFile, writeCharts } from './charts.ts';
import { clientGoBinary } from './client-go.ts';
import { type Report, SCENARIOS, type ScenarioId } from './report.ts';

/** Every scenario of a quick run, and the implementations each must have a row for. */
const EXPECTED: Record<ScenarioId, string[]> = {
  'get-sequential': ['raw', 'kgo-rest', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'],
  'get-concurrent': ['raw', 'kgo-rest', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'],
  list: ['raw', 'raw-gzip', 'kgo-rest', 'kgo-identity', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'],
  create: ['raw', 'kgo-rest', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'],
  'watch-throughput': ['raw', 'kgo-rest', 'client-node', 'client-go'],
  'watch-lag': ['raw', 'kgo-rest', 'client-node', 'client-go'],
  'informer-sync': ['kgo', 'client-node', 'client-go'],
  'informer-memory': ['kgo', 'client-node', 'client-go'],
  'informer-events': ['kgo', 'client-node', 'client-go'],
  'discovery-cold': ['kgo', 'client-node', 'client-go', 'kubectl'],
  'discovery-cold-legacy': ['kgo', 'client-go'],
  'discovery-warm-memory': ['kgo', 'client-go'],
  'discovery-warm-disk': ['kgo', 'client-go', 'kubectl'],
  app: ['kgo', 'client-node'],
  'protobuf-list-configmaps': ['kgo-typed-json', 'kgo-typed-protobuf', 'client-go-json', 'client-go-protobuf'],
  'protobuf-list-pods': ['kgo-typed-json', 'kgo-typed-protobuf', 'client-go-json', 'client-go-protobuf'],
  'protobuf-watch': ['kgo-typed-json', 'kgo-typed-protobuf', 'client-go-json', 'client-go-protobuf'],
};

const cluster = testCluster();
const scratch = mkdtempSync(join(tmpdir(), 'kgo-bench-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bench --quick', () => {
  let report: Report;
  let stderr = '';

  beforeAll(async () => {
    // The first build of the client-go program compiles client-go (minutes on 2 cores); later runs reuse the cached binary.
    await clientGoBinary((line) => console.error(line));
    const clusterFile = join(scratch, 'cluster.json');
    await writeTestCluster(clusterFile, cluster);
    const resultsDir = join(scratch, 'results');
    const { KGO_TEST_KUBECONFIG: _, ...env } = process.env;
    stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--conditions=@kgo/source', fileURLToPath(new URL('./run.ts', import.meta.url)), '--quick'],
        { env: { ...env, KGO_TEST_CLUSTER: clusterFile, KGO_BENCH_RESULTS_DIR: resultsDir }, maxBuffer: 64 * 1024 * 1024, timeout: 14 * 60_000 },
        (error, _stdout, err) => (error ? reject(new Error(`bench --quick failed: ${error.message}\n${err.slice(-4000)}`)) : resolve(err)),
      );
    });
    const [file] = readdirSync(resultsDir).filter((name) => name.endsWith('-quick.json'));
    if (!file) throw new Error(`bench --quick wrote no results file in ${resultsDir}:\n${stderr.slice(-2000)}`);
    report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Report;
  }, 45 * 60_000);

  it('writes a quick report of the current shape, with the machine load and the versions measured', () => {
    expect(report.schema).toBe(2);
    expect(report.quick).toBe(true);
    expect(report.machine.loadAverage.before).toHaveLength(3);
    expect(report.kubernetes).toMatch(/^v1\./);
    expect(Object.keys(report.versions)).toEqual(expect.arrayContaining(['@kgo/rest', '@kubernetes/client-node', 'k8s.io/client-go', 'kubectl']));
  });

  it('has every scenario, in the order of the report', () => {
    expect(report.scenarios.map((scenario) => scenario.id)).toEqual(SCENARIOS.map((scenario) => scenario.id));
  });

  it.each(Object.entries(EXPECTED))('%s has a row per implementation, each with its headline figure', (id, implementations) => {
    const scenario = report.scenarios.find((s) => s.id === id);
    expect(scenario?.rows.map((row) => row.implementation)).toEqual(implementations);
    const headline = SCENARIOS.find((s) => s.id === id)?.metrics[0]?.key ?? '';
    for (const row of scenario?.rows ?? []) {
      // Presence, not a figure: a finite median from at least one repetition.
      expect(Number.isFinite(row.metrics[headline]?.median), `${id} / ${row.implementation} / ${headline}`).toBe(true);
      expect(row.metrics[headline]?.samples.length, `${id} / ${row.implementation} repetitions`).toBeGreaterThan(0);
    }
  });

  it('draws every chart from the JSON', () => {
    const out = join(scratch, 'charts');
    const written = writeCharts(report, out);
    expect(written.map((file) => file.slice(out.length + 1)).sort()).toEqual(CHARTS.map(({ scenario, metric }) => chartFile(scenario, metric)).sort());
    for (const { scenario, metric } of CHARTS) {
      const svg = readFileSync(join(out, chartFile(scenario, metric)), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      for (const implementation of EXPECTED[scenario]) expect(svg, `${scenario}-${metric} names ${implementation}`).toContain(`>${implementation}</text>`);
    }
  });
});

/**
 * Full discovery of a cluster with 64 CRDs in 32 groups, cold (new client, new connections, each
 * run): kgo's DiscoveryClient with aggregated discovery and with the legacy documents, and the
 * same walk written with @kubernetes/client-node (which has no discovery client: `/api` and `/apis`
 * through its generated `CoreApi`/`ApisApi`, then every group-version's APIResourceList over its
 * own TLS/auth options, all in parallel). Requests are counted once per client through a counting
 * proxy; wall times are measured direct to the server over TLS.
 *
 *   pnpm --filter @kgo/benchmarks bench:discovery            # 15 runs per client
 *   KGO_BENCH_QUICK=1 pnpm --filter @kgo/benchmarks bench:discovery   # 5 runs
 *
 * Prints a markdown table on stdout, progress on stderr.
 */
import { loadavg } from 'node:os';
import { crdFixtures, deleteCrdFixtures, installCrdFixtures } from '@kgo/discovery/test';
import { openCluster } from './cluster.ts';
import { clientNodeWalk, countDiscoveryRequests, kgoDiscoveryConfig, kgoWalk, type Walk } from './scenarios/discovery-walks.ts';
import { median } from './stats.ts';

const SUITE = 'bench';
const quick = process.env.KGO_BENCH_QUICK === '1';
const runs = Number(process.env.KGO_BENCH_DISCOVERY_RUNS ?? (quick ? 5 : 15));
const log = (line: string) => console.error(line);

const walks: Record<string, Walk> = { 'kgo aggregated': kgoWalk(false), 'kgo legacy': kgoWalk(true), 'client-node walk': clientNodeWalk };

async function main(): Promise<void> {
  const cluster = await openCluster(log);
  const config = kgoDiscoveryConfig(cluster.connection);
  try {
    log(`installing ${crdFixtures({ suite: SUITE }).length} CRDs…`);
    await installCrdFixtures(config, crdFixtures({ suite: SUITE }));
    const times = new Map<string, number[]>(Object.keys(walks).map((name) => [name, []]));
    const lists = new Map<string, number>();
    for (const [name, walk] of Object.entries(walks)) lists.set(name, await walk(cluster.connection)); // warm-up (JIT), not timed
    // Rounds with the clients taking turns, so drift on a shared machine hits all alike.
    for (let round = 0; round < runs; round++) {
      for (const [name, walk] of Object.entries(walks)) {
        const started = performance.now();
        await walk(cluster.connection);
        times.get(name)?.push(performance.now() - started);
      }
    }
    const requests = new Map<string, number | string>();
    for (const [name, walk] of Object.entries(walks)) {
      requests.set(name, await countDiscoveryRequests(cluster.connection, walk).catch((error: unknown) => `n/a (${(error as Error).message.slice(0, 60)})`));
    }
    const baseline = median(times.get('client-node walk') ?? []);
    console.log(`Full discovery, ${crdFixtures({ suite: SUITE }).length} CRDs in 32 groups, cold client each run, median of ${runs} (load ${loadavg()[0]?.toFixed(1)}, server ${cluster.connection.gitVersion ?? '?'})\n`);
    console.log('| client | discovery requests | resource lists | wall time (median) | min | client-node / this |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const name of Object.keys(walks)) {
      const t = times.get(name) ?? [];
      const m = median(t);
      console.log(`| ${name} | ${requests.get(name)} | ${lists.get(name)} | ${m.toFixed(1)} ms | ${Math.min(...t).toFixed(1)} ms | ${(baseline / m).toFixed(1)}× |`);
    }
  } finally {
    await deleteCrdFixtures(config, SUITE).catch(() => {});
    await cluster.stop();
  }
}

await main();

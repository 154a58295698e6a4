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
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { loadavg } from 'node:os';
import { DiscoveryClient } from '@kgo/discovery';
import { crdFixtures, deleteCrdFixtures, installCrdFixtures, isDiscoveryPath, startCountingProxy } from '@kgo/discovery/test';
import type { RestConfig } from '@kgo/rest';
import { ApisApi, CoreApi, KubeConfig } from '@kubernetes/client-node';
import { type BenchConnection, openCluster } from './cluster.ts';
import { median } from './stats.ts';

const SUITE = 'bench';
const quick = process.env.KGO_BENCH_QUICK === '1';
const runs = Number(process.env.KGO_BENCH_DISCOVERY_RUNS ?? (quick ? 5 : 15));
const log = (line: string) => console.error(line);

/** One full discovery; returns how many resource lists it read (to check every client read everything). */
type Walk = (connection: BenchConnection) => Promise<number>;

const kgoConfig = (c: BenchConnection): RestConfig => ({ host: c.server, tls: { caData: c.caCert, certData: c.cert, keyData: c.key } });

// A fresh config object each run: kgo pools connections per config, so this is a cold start.
const kgoWalk =
  (legacy: boolean): Walk =>
  async (c) => {
    const discovery = new DiscoveryClient(kgoConfig(c), { legacy });
    const { resources } = await discovery.serverGroupsAndResources();
    await discovery.restClient.close();
    return resources.length;
  };

function clientNodeConfig(c: BenchConnection): KubeConfig {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // Only the request-counting pass talks plain HTTP (to the loopback proxy); client-node demands this flag for it.
    clusters: [{ name: 'bench', server: c.server, caData: b64(c.caCert), skipTLSVerify: c.server.startsWith('http:') }],
    users: [{ name: 'bench-admin', certData: b64(c.cert), keyData: b64(c.key) }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench-admin' }],
    currentContext: 'bench',
  });
  return kc;
}

/** GET a path with client-node's TLS and credentials (what its users do for paths it has no API for). */
async function clientNodeGet(kc: KubeConfig, path: string): Promise<unknown> {
  const url = new URL(path, kc.getCurrentCluster()?.server);
  const options: Parameters<typeof httpsRequest>[1] = { method: 'GET', headers: { accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`GET ${path}: ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const clientNodeWalk: Walk = async (c) => {
  const kc = clientNodeConfig(c);
  const [core, apis] = await Promise.all([kc.makeApiClient(CoreApi).getAPIVersions(), kc.makeApiClient(ApisApi).getAPIVersions()]);
  const paths = [...core.versions.map((v) => `/api/${v}`), ...apis.groups.flatMap((g) => g.versions.map((v) => `/apis/${v.groupVersion}`))];
  const lists = await Promise.all(paths.map((path) => clientNodeGet(kc, path)));
  return lists.length;
};

const walks: Record<string, Walk> = { 'kgo aggregated': kgoWalk(false), 'kgo legacy': kgoWalk(true), 'client-node walk': clientNodeWalk };

async function countRequests(connection: BenchConnection, walk: Walk): Promise<number> {
  const proxy = await startCountingProxy({ server: connection.server, caCert: connection.caCert, cert: connection.cert, key: connection.key });
  try {
    await walk({ ...connection, server: proxy.url });
    return proxy.count(({ path }) => isDiscoveryPath(path));
  } finally {
    await proxy.close();
  }
}

async function main(): Promise<void> {
  const cluster = await openCluster(log);
  const config = kgoConfig(cluster.connection);
  try {
    log(`installing ${crdFixtures({ suite: SUITE }).length} CRDs…`);
    await installCrdFixtures({ ...config, qps: -1 }, crdFixtures({ suite: SUITE }));
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
      requests.set(name, await countRequests(cluster.connection, walk).catch((error: unknown) => `n/a (${(error as Error).message.slice(0, 60)})`));
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
    await deleteCrdFixtures({ ...config, qps: -1 }, SUITE).catch(() => {});
    await cluster.stop();
  }
}

await main();

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DiscoveryClient } from '@kgo/discovery';
import { crdFixtures, deleteCrdFixtures, installCrdFixtures, isDiscoveryPath, kubectl, plainKubeconfig, startCountingProxy } from '@kgo/discovery/test';
import { MemoryCacheClient, newCachedDiscoveryClientForConfig } from '@kgo/discovery-cache';
import { writeKubeconfig } from '@kgo/envtest';
import type { BenchConnection } from '../cluster.ts';
import { runJob } from '../implementations.ts';
import { type Row, type ScenarioId, type ScenarioResult, stat } from '../report.ts';
import { type ScenarioContext, timedScenario } from './context.ts';
import { clientNodeWalk, countDiscoveryRequests, kgoDiscoveryConfig, kgoWalk } from './discovery-walks.ts';

const SUITE = 'bench';

/** One timed call: wall time and CPU time of the caller. */
interface Call {
  ms: number;
  cpuMs: number;
}

/** A way of doing full discovery, measured `calls` times per round. */
interface Contender {
  implementation: string;
  /** Timed calls of one round (the contender warms up itself where it has state). */
  round(calls: number): Promise<Call[]>;
  /** Discovery requests of one call, counted once. */
  requests(): Promise<number | string>;
}

const HOUR_MS = 3_600_000;

/**
 * Full discovery with the CRD fixture set of @kgo/discovery/test installed: cold with each
 * client's default (aggregated for kgo, client-go and kubectl; client-node has no discovery client,
 * so its row is the walk over every group-version), cold legacy, from a warm memory cache and from a
 * warm disk cache. kgo and the client-node walk run in this process (a new client per call), client-go
 * in its own process, kubectl as a process per call (so its figures include its start-up; the
 * notes give `kubectl version --client` for reference). Requests are counted at a loopback proxy (kgo,
 * client-node, kubectl) or at client-go's transport.
 */
export async function discoveryScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  const { connection, settings } = context;
  const config = kgoDiscoveryConfig(connection);
  const crds = crdFixtures({ suite: SUITE });
  context.log(`discovery: installing ${crds.length} CRDs…`);
  await installCrdFixtures(config, crds);
  try {
    const kubeconfig = await writeKubeconfig(
      join(context.scratch, 'kubectl-kubeconfig.json'),
      { name: 'bench', server: connection.server, caCert: connection.caCert },
      { name: 'bench-admin', clientCert: connection.cert, clientKey: connection.key },
    );
    const withClientGo = settings.implementations.includes('client-go');
    const contenders: Record<string, Contender[]> = {
      'discovery-cold': [
        inProcess('kgo', () => kgoWalk(false)(connection), () => countDiscoveryRequests(connection, kgoWalk(false))),
        inProcess('client-node', () => clientNodeWalk(connection), () => countDiscoveryRequests(connection, clientNodeWalk)),
        ...(withClientGo ? [clientGo(context, 'cold-aggregated')] : []),
        kubectlContender(context, connection, kubeconfig, 'cold'),
      ],
      'discovery-cold-legacy': [
        inProcess('kgo', () => kgoWalk(true)(connection), () => countDiscoveryRequests(connection, kgoWalk(true))),
        ...(withClientGo ? [clientGo(context, 'cold-legacy')] : []),
      ],
      'discovery-warm-memory': [kgoWarmMemory(connection), ...(withClientGo ? [clientGo(context, 'warm-memory')] : [])],
      'discovery-warm-disk': [
        kgoWarmDisk(context, connection),
        ...(withClientGo ? [clientGo(context, 'warm-disk')] : []),
        kubectlContender(context, connection, kubeconfig, 'warm'),
      ],
    };
    const kubectlStart = await kubectlStartMs(kubeconfig);
    const results: ScenarioResult[] = [];
    for (const [id, list] of Object.entries(contenders)) {
      results.push(
        await timedScenario(id as ScenarioId, async () => {
          const calls = new Map<string, Call[]>(list.map((contender) => [contender.implementation, []]));
          for (let round = 0; round < settings.rounds; round++) {
            for (let i = 0; i < list.length; i++) {
              const contender = list[(i + round) % list.length] as Contender;
              const timed = await contender.round(settings.discoveryCalls);
              calls.get(contender.implementation)?.push(...timed);
              context.log(`${id} round ${round + 1}: ${contender.implementation.padEnd(12)} ${timed.map((call) => call.ms.toFixed(1)).join(', ')} ms`);
            }
          }
          const rows: Row[] = [];
          for (const contender of list) {
            const timed = calls.get(contender.implementation) ?? [];
            const requests = await contender.requests();
            rows.push({
              implementation: contender.implementation,
              metrics: {
                ms: stat(timed.map((call) => call.ms)),
                // kubectl's CPU time is its own process's, which this one cannot see.
                ...(timed.every((call) => Number.isFinite(call.cpuMs)) ? { cpuMs: stat(timed.map((call) => call.cpuMs)) } : {}),
                ...(typeof requests === 'number' ? { requests: stat([requests]) } : {}),
              },
              notes: {
                ...(typeof requests === 'string' ? { requests } : {}),
                ...(contender.implementation === 'kubectl' ? { 'process start (`kubectl version --client`, ms)': Math.round(kubectlStart) } : {}),
              },
            });
          }
          return rows;
        }),
      );
    }
    return results;
  } finally {
    // Waited for: on a shared test cluster, the next suite's discovery must not see them.
    await deleteCrdFixtures(config, SUITE, { wait: true }).catch(() => {});
  }
}

/** A call in this process, timed with this process's CPU time. */
async function timeCall(body: () => Promise<unknown>): Promise<Call> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await body();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function timeCalls(calls: number, body: () => Promise<unknown>): Promise<Call[]> {
  await body(); // warm-up (JIT), not timed
  const timed: Call[] = [];
  for (let i = 0; i < calls; i++) timed.push(await timeCall(body));
  return timed;
}

function inProcess(implementation: string, call: () => Promise<unknown>, requests: () => Promise<number>): Contender {
  return { implementation, round: (calls) => timeCalls(calls, call), requests };
}

function kgoWarmMemory(connection: BenchConnection): Contender {
  return {
    implementation: 'kgo',
    round: async (calls) => {
      const cached = new MemoryCacheClient(new DiscoveryClient(kgoDiscoveryConfig(connection)));
      return timeCalls(calls, () => cached.serverGroupsAndResources());
    },
    requests: () => countWarm(connection, async (c) => {
      const cached = new MemoryCacheClient(new DiscoveryClient(kgoDiscoveryConfig(c)));
      return () => cached.serverGroupsAndResources();
    }),
  };
}

function kgoWarmDisk(context: ScenarioContext, connection: BenchConnection): Contender {
  const cacheFor = (name: string) => {
    const dir = join(context.scratch, name);
    mkdirSync(dir, { recursive: true });
    return { discoveryDir: join(dir, 'discovery'), httpCacheDir: join(dir, 'http'), ttlMs: HOUR_MS };
  };
  const options = cacheFor('kgo-disk-cache');
  return {
    implementation: 'kgo',
    // A new client per call on the same folder, as a CLI makes one per process.
    round: (calls) => timeCalls(calls, () => newCachedDiscoveryClientForConfig(kgoDiscoveryConfig(connection), options).serverGroupsAndResources()),
    requests: () => {
      const counted = cacheFor('kgo-disk-cache-counted');
      return countWarm(connection, async (c) => () => newCachedDiscoveryClientForConfig(kgoDiscoveryConfig(c), counted).serverGroupsAndResources());
    },
  };
}

/** Requests of a warm call: `prepare` makes the warm state through the proxy (filled by a first call), then one call is counted. */
async function countWarm(connection: BenchConnection, prepare: (c: BenchConnection) => Promise<() => Promise<unknown>>): Promise<number> {
  const proxy = await startCountingProxy({ server: connection.server, caCert: connection.caCert, cert: connection.cert, key: connection.key });
  try {
    const call = await prepare({ ...connection, server: proxy.url });
    await call();
    proxy.reset();
    await call();
    return proxy.count(({ path }) => isDiscoveryPath(path));
  } finally {
    await proxy.close();
  }
}

/** client-go's discovery clients, a process per round: it warms up, then times `calls` calls and counts requests at its transport. */
function clientGo(context: ScenarioContext, mode: string): Contender {
  const cacheDir = join(context.scratch, `client-go-${mode}`);
  let requests: number | undefined;
  return {
    implementation: 'client-go',
    round: async (calls) => {
      mkdirSync(cacheDir, { recursive: true });
      const result = await runJob(context.runner, 'client-go', { ...context.job, task: 'discovery', mode, runs: calls, cacheDir });
      requests = result.requests;
      const times = result.timesMs ?? [];
      return times.map((ms, i) => ({ ms, cpuMs: result.callCpuMs?.[i] ?? Number.NaN }));
    },
    requests: async () => requests ?? 'not measured',
  };
}

/** kubectl api-resources, a process per call: `cold` with a fresh cache folder each time, `warm` (`--cached`) on a filled one. */
function kubectlContender(context: ScenarioContext, connection: BenchConnection, kubeconfig: string, kind: 'cold' | 'warm'): Contender {
  const warmDir = join(context.scratch, 'kubectl-cache');
  // Without --cached, api-resources invalidates the cache and discovers anew (2 requests) even when it is warm.
  const args = kind === 'warm' ? ['api-resources', '--cached', '-o', 'name'] : ['api-resources', '-o', 'name'];
  const apiResources = async (options: { kubeconfig: string; cacheDir?: string }) => {
    const result = await kubectl(args, options);
    if (result.code !== 0) throw new Error(`kubectl api-resources failed (${result.code}): ${result.stderr.slice(0, 500)}`);
  };
  return {
    implementation: 'kubectl',
    round: async (calls) => {
      const options = kind === 'cold' ? { kubeconfig } : { kubeconfig, cacheDir: warmDir };
      await apiResources(options); // warm-up: the binary in the page cache, and the warm cache filled
      const timed: Call[] = [];
      for (let i = 0; i < calls; i++) timed.push(await timeProcess(() => apiResources(options)));
      return timed;
    },
    requests: async () => {
      const proxy = await startCountingProxy({ server: connection.server, caCert: connection.caCert, cert: connection.cert, key: connection.key });
      try {
        const proxied = await plainKubeconfig(proxy.url);
        const cacheDir = join(context.scratch, `kubectl-cache-counted-${kind}`);
        if (kind === 'warm') {
          await apiResources({ kubeconfig: proxied, cacheDir });
          proxy.reset();
          await apiResources({ kubeconfig: proxied, cacheDir });
        } else {
          await apiResources({ kubeconfig: proxied });
        }
        return proxy.count(({ path }) => isDiscoveryPath(path));
      } finally {
        await proxy.close();
      }
    },
  };
}

/** Wall time of a child process; its CPU time is not this process's, so it is left unknown. */
async function timeProcess(body: () => Promise<void>): Promise<Call> {
  const started = performance.now();
  await body();
  return { ms: performance.now() - started, cpuMs: Number.NaN };
}

/** Median wall time of `kubectl version --client` (a process start, no request), ms. */
async function kubectlStartMs(kubeconfig: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await timeProcess(async () => void (await kubectl(['version', '--client'], { kubeconfig })))).ms);
  return times.sort((a, b) => a - b)[2] as number;
}

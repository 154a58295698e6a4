import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { discoveryConfig } from '@kgo/discovery';
import { discoveryCacheDir, httpCacheDir, newCachedDiscoveryClientForConfig } from '@kgo/discovery-cache';
import type { Step } from '../step.ts';
import { describeDiscovery, discoverAll } from './discovered.ts';

/** How long the discovery files are used (client-go's example: one hour). */
const TTL_MS = 3_600_000;
/** Two runs: the first fills the folders (or finds them from an earlier demo), the second reads them. */
const RUNS = 2;

/** Files under a folder, 0 when it does not exist yet. */
export function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * 5. The disk-cached discovery client, run twice, each time as a new client (as a new process
 * would be) over `./cache/discovery` and `./cache/http`, printing the requests each run sent.
 */
export const cachedDiscovery: Step = {
  title: 'cached DiscoveryClient',
  description: 'fills ./cache/discovery and ./cache/http, then answers from them',
  clientGo: 'disk.NewCachedDiscoveryClientForConfig(config, "./cache/discovery", "./cache/http", time.Hour).ServerGroupsAndResources()',
  async run(ctx) {
    // kubectl's layout under ./cache: one discovery folder per server (so two clusters never share
    // one), the HTTP cache beside them (its files are keyed by URL).
    const discoveryDir = discoveryCacheDir(ctx.config.host, ctx.cacheDir);
    const httpDir = httpCacheDir(ctx.cacheDir);
    const shown = (dir: string) => `./${relative(process.cwd(), dir)}`;
    ctx.out.line(`  discovery files: ${shown(discoveryDir)}   HTTP cache: ${shown(httpDir)}   TTL 1 h`);
    const rows: string[][] = [];
    const requestsPerRun: number[] = [];
    let result = '';
    for (let run = 1; run <= RUNS; run++) {
      const before = { discovery: countFiles(discoveryDir), http: countFiles(httpDir), requests: ctx.counter.count };
      const started = performance.now();
      const discovery = newCachedDiscoveryClientForConfig(ctx.counter.counted(discoveryConfig(ctx.config)), {
        discoveryDir,
        httpCacheDir: httpDir,
        ttlMs: TTL_MS,
      });
      result = describeDiscovery(await discoverAll(discovery, ctx.out));
      const requests = ctx.counter.count - before.requests;
      requestsPerRun.push(requests);
      rows.push([
        String(run),
        `${before.discovery} + ${before.http}`,
        String(requests),
        `${countFiles(discoveryDir)} + ${countFiles(httpDir)}`,
        `${Math.round(performance.now() - started)} ms`,
        result,
      ]);
    }
    ctx.out.table({ headers: ['RUN', 'FILES BEFORE', 'REQUESTS', 'FILES AFTER', 'TIME', 'FOUND'], rows });
    ctx.out.line(ctx.out.dim('  (files: discovery + http; a request is one HTTP exchange, a 304 revalidation included)'));
    return `requests per run: ${requestsPerRun.join(', then ')}`;
  },
};

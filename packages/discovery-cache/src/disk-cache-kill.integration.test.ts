import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscoveryClient } from '@kgo/discovery';
import { seededRandom } from '@kgo/envtest';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGroupList, decodeResourceList } from './cache-documents.ts';
import { serverGroupsFile } from './cache-paths.ts';
import { DiskCacheClient } from './disk-cache-client.ts';
import { MemoryCacheClient } from './memory-cache-client.ts';

/*
 * Reliability suite 4 (issue #14): processes that read, refresh and invalidate one discovery cache
 * folder are killed with SIGKILL at random moments, mid-write included. Files are written to a
 * temporary name and renamed, so a kill can leave a temporary file behind but never a cache file
 * that is partly written: afterwards every cache file decodes, and a new client answers from the
 * folder exactly what the server says. The kill schedule is seeded (KGO_CACHE_KILL_SEED replays).
 * Sizes: KGO_CACHE_KILL_OPS operations per process slot (full size 200; CI 9), 8 slots. Half the
 * workers (drawn) are killed during one of their operations; the others run to their end (at most
 * 12 operations each), so kills fall all through the run and every slot makes progress.
 */

const SLOTS = 8;
const OPS_PER_SLOT = Number(process.env.KGO_CACHE_KILL_OPS ?? 9);
const SEED = Number(process.env.KGO_CACHE_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const here = dirname(fileURLToPath(import.meta.url));
const cluster = testCluster();

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kgo-disk-cache-kill-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort();
}

describe('the disk cache under kill -9 (reliability suite 4)', () => {
  it(`${SLOTS} processes × ${OPS_PER_SLOT} read/refresh/invalidate operations, killed at random: no corrupt file, no wrong answer`, async () => {
    const dir = join(root, 'discovery');
    const connectionFile = join(root, 'connection.json');
    await writeFile(connectionFile, JSON.stringify({ server: cluster.server, caCert: cluster.caCert, cert: cluster.admin.cert, key: cluster.admin.key }), { mode: 0o600 });
    const worker = join(here, 'test', 'cache-worker.ts');
    const draw = seededRandom(SEED);
    const started = performance.now();
    const figures = { processes: 0, killed: 0, completedOps: 0, failed: [] as string[] };

    // A slot runs workers one after another until it has done its operations; each worker does
    // one op per message it reports, and may be killed before it finishes.
    const slot = async (index: number) => {
      let done = 0;
      while (done < OPS_PER_SLOT) {
        // At most 4 rounds (12 operations) per worker, so kills fall all through the run.
        const rounds = Math.min(4, Math.ceil((OPS_PER_SLOT - done) / 3));
        figures.processes++;
        const child: ChildProcess = fork(worker, [connectionFile, dir, String(rounds)], {
          execArgv: ['--conditions=@kgo/source'],
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          env: { ...process.env, KGO_CACHE_WORKER_REPORT: '1' },
        });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        // Half the workers (the first of slot 0 always) are killed during an operation: after their
        // k-th report (k drawn from 1 to the last but one), 0–150 ms into the next operation, which
        // can fall in the middle of a file write.
        const ops = rounds * 3;
        const kill = (index === 0 && figures.processes === 1) || (ops > 1 && draw() < 0.5);
        const killAt = 1 + Math.floor(draw() * Math.max(1, ops - 1));
        const delay = draw() * 150;
        let reported = 0;
        let killer: NodeJS.Timeout | undefined;
        child.on('message', () => {
          done++;
          reported++;
          if (kill && reported === killAt) {
            killer = setTimeout(() => {
              if (child.exitCode === null && child.signalCode === null) {
                figures.killed++;
                child.kill('SIGKILL');
              }
            }, delay);
          }
        });
        const limit = setTimeout(() => child.kill('SIGKILL'), 100_000);
        const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.on('exit', (code, signal) => resolve({ code, signal })),
        );
        clearTimeout(killer);
        clearTimeout(limit);
        // A worker that ran to its end must have seen only complete answers.
        if (signal === null && code !== 0) figures.failed.push(`slot ${index}: exit ${code}: ${stderr.slice(0, 2000)}`);
      }
      figures.completedOps += done;
    };
    await Promise.all(Array.from({ length: SLOTS }, (_, index) => slot(index)));
    const ms = performance.now() - started;

    const files = await filesUnder(dir);
    const cacheFiles = files.filter((f) => f === 'servergroups.json' || f.endsWith('/serverresources.json'));
    const leftovers = files.filter((f) => !cacheFiles.includes(f));
    console.log(
      `disk cache under kill -9 (seed ${SEED}; replay with KGO_CACHE_KILL_SEED=${SEED}): ${figures.processes} processes, ` +
        `${figures.killed} killed, ${figures.completedOps} operations completed in ${(ms / 1000).toFixed(1)} s; ` +
        `${cacheFiles.length} cache files, ${leftovers.length} temporary files left by killed writers`,
    );
    expect(figures.failed, `seed ${SEED}`).toEqual([]);
    expect(figures.killed, `seed ${SEED}: the schedule must kill some workers`).toBeGreaterThan(0);
    // Whatever was left: every cache file is whole and valid (a torn write would not decode).
    for (const file of cacheFiles) {
      const bytes = await readFile(join(dir, file));
      const valid = file === 'servergroups.json' ? decodeGroupList(bytes) : decodeResourceList(bytes, file.slice(0, -'/serverresources.json'.length));
      expect(valid, `${file} (seed ${SEED})`).toBeDefined();
    }
    // Leftovers are only the writers' temporary files (`<name>.<12 hex>`), never another kind of file.
    for (const file of leftovers) expect(file, `seed ${SEED}`).toMatch(/(servergroups|serverresources)\.json\.[0-9a-f]{12}$/);
    expect(decodeGroupList(await readFile(serverGroupsFile(dir)))).toBeDefined();

    // A new client reads the folder and answers what the server says for the groups it lists.
    const reader = new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(restConfigFor(cluster))), { directory: dir });
    const cached = await reader.serverGroupsAndResources();
    const live = await new DiscoveryClient(restConfigFor(cluster)).serverGroupsAndResources();
    const builtIn = (gv: string) => !gv.includes('.kgo.test');
    const pick = (result: typeof live) =>
      Object.fromEntries(result.resources.filter((list) => builtIn(list.groupVersion)).map((list) => [list.groupVersion, list.resources.map((r) => r.name).sort()]));
    expect(pick(cached)).toEqual(pick(live));
  }, 300_000);
});

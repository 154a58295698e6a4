import { fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIGroup, type APIResourceList, DiscoveryClient, GroupDiscoveryFailedError, type GroupsAndResources } from '@kgo/discovery';
import { crdFixtures, deleteCrdFixtures, installCrdFixtures, kubectl as runKubectl } from '@kgo/discovery/test';
import { writeKubeconfig } from '@kgo/envtest';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import type { RestConfig } from '@kgo/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CountingProxy, isDiscoveryPath } from './test/counting-proxy.ts';
import { decodeGroupList, decodeResourceList } from './cache-documents.ts';
import { discoveryCacheDir, resourcesFileFor, serverGroupsFile } from './cache-paths.ts';
import { newCachedDiscoveryClientForConfig } from './cached-discovery-client-for-config.ts';
import { DiskCacheClient } from './disk-cache-client.ts';
import { CacheNotFoundError } from './errors/cache-not-found-error.ts';
import { MemoryCacheClient } from './memory-cache-client.ts';

/*
 * The disk cache against the real kube-apiserver with the CRD fixture set installed (64 CRDs in
 * 32 groups), requests counted at a proxy in front of it; kubectl is the oracle for the file format.
 */

const SUITE = 'dcache';
const HOUR = 3_600_000;
const cluster = testCluster();
const admin: RestConfig = restConfigFor(cluster);
const here = dirname(fileURLToPath(import.meta.url));

let proxy: CountingProxy;
let config: RestConfig;
let root: string;
let dirCount = 0;

beforeAll(async () => {
  await installCrdFixtures(admin, crdFixtures({ suite: SUITE }), { timeoutMs: 150_000 });
  proxy = await CountingProxy.start(cluster);
  config = { host: proxy.url, tls: { caData: proxy.caCert }, qps: -1 };
  root = await mkdtemp(join(tmpdir(), 'kgo-disk-cache-'));
}, 180_000);
afterAll(async () => {
  await proxy?.close();
  if (root) await rm(root, { recursive: true, force: true });
  await deleteCrdFixtures(admin, SUITE).catch(() => {});
});
beforeEach(() => proxy.reset());

/** A fresh, empty discovery folder. */
const newDir = () => join(root, `case-${++dirCount}`);
const diskClient = (directory: string, ttlMs?: number) => new DiskCacheClient(new MemoryCacheClient(new DiscoveryClient(config)), { directory, ttlMs });
const discoveryRequests = (who: 'kgo' | 'kubectl' = 'kgo') => proxy.made(who).filter((r) => isDiscoveryPath(r.path));
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/*
 * Other packages' suites may add and remove their own fixture CRDs on the same server while this
 * file runs (CI shares one control plane): comparisons keep the built-in groups and this suite's.
 */
const ownGroup = (name: string) => !name.endsWith('.kgo.test') || name.endsWith(`.${SUITE}.kgo.test`);
const ownGroupVersion = (gv: string) => ownGroup(gv.includes('/') ? (gv.split('/')[0] as string) : '');
const own = (result: GroupsAndResources) => ({
  groups: result.groups.filter((g: APIGroup) => ownGroup(g.name)),
  resources: result.resources.filter((list: APIResourceList) => ownGroupVersion(list.groupVersion)),
});

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort();
}

/** Sets every file's modification time `ms` into the past. */
async function age(dir: string, ms: number): Promise<void> {
  const when = (Date.now() - ms) / 1000;
  for (const file of await filesUnder(dir)) await utimes(join(dir, file), when, when);
}

let live: GroupsAndResources;
beforeAll(async () => {
  live = await new DiscoveryClient(admin).serverGroupsAndResources();
});

describe('DiskCacheClient', () => {
  it('cold: one round of two requests writes servergroups.json and every group-version’s file, with kubectl’s modes', async () => {
    const dir = newDir();
    const result = await diskClient(dir).serverGroupsAndResources();
    expect(discoveryRequests().map((r) => r.path).sort()).toEqual(['/api', '/apis']);
    expect(own(result)).toEqual(own(live));
    expect(own(result).groups.filter((g) => g.name.endsWith(`.${SUITE}.kgo.test`))).toHaveLength(32);

    const files = await filesUnder(dir);
    expect(files).toContain('servergroups.json');
    expect(files).toContain('v1/serverresources.json');
    expect(files).toContain('apps/v1/serverresources.json');
    for (const list of result.resources) {
      const path = resourcesFileFor(dir, list.groupVersion) as string;
      expect(decodeResourceList(await readFile(path), list.groupVersion)?.resources).toEqual(list.resources);
      expect((await stat(path)).mode & 0o777).toBe(0o660);
      expect((await stat(dirname(path))).mode & 0o777).toBe(0o750 & ~process.umask());
    }
    expect(decodeGroupList(await readFile(serverGroupsFile(dir)))?.groups).toEqual(result.groups);
    // Nothing else: no temporary files left behind.
    expect(files).toHaveLength(result.resources.length + 1);
  });

  it('warm: a new client answers everything with no request, equal to the live answers; fresh() tells whose files they were', async () => {
    const dir = newDir();
    const writer = diskClient(dir);
    await writer.serverGroupsAndResources();
    await writer.serverPreferredResources();
    expect(writer.fresh()).toBe(true);
    proxy.reset();

    const reader = diskClient(dir);
    expect(own(await reader.serverGroupsAndResources())).toEqual(own(live));
    const preferred = await reader.serverPreferredResources();
    expect(preferred.find((l) => l.groupVersion === 'apps/v1')?.resources.map((r) => r.name)).toContain('deployments');
    await reader.serverPreferredNamespacedResources();
    await reader.serverResourcesForGroupVersion('autoscaling/v2');
    expect(discoveryRequests()).toEqual([]);
    expect(reader.fresh()).toBe(false);
  });

  it('invalidate(): files this client did not write are ignored from then on', async () => {
    const dir = newDir();
    // serverGroups() alone fills every file: the round it needs brings every list.
    await diskClient(dir).serverGroups();
    proxy.reset();
    const client = diskClient(dir);
    await client.serverGroupsAndResources();
    expect(discoveryRequests()).toHaveLength(0);
    client.invalidate();
    expect(client.fresh()).toBe(true);
    await client.serverGroupsAndResources();
    expect(discoveryRequests()).toHaveLength(2);
    // Now the files are its own.
    await client.serverGroupsAndResources();
    expect(discoveryRequests()).toHaveLength(2);
    expect(client.fresh()).toBe(true);
  });

  it('expired files are read again; with the HTTP cache that costs two 304s, not the bodies', async () => {
    const dir = newDir();
    const httpDir = join(root, `http-${dirCount}`);
    const options = { discoveryDir: dir, httpCacheDir: httpDir, ttlMs: HOUR };
    const first = await newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources();
    expect(discoveryRequests().map((r) => r.status)).toEqual([200, 200]);

    proxy.reset();
    await newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources();
    expect(discoveryRequests()).toEqual([]);

    await age(dir, 2 * HOUR);
    const again = await newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources();
    expect(discoveryRequests().map((r) => [r.path, r.status]).sort()).toEqual([
      ['/api', 304],
      ['/apis', 304],
    ]);
    expect(own(again)).toEqual(own(first));
    // The files were written again, so the next start is warm.
    expect(Date.now() - (await stat(serverGroupsFile(dir))).mtimeMs).toBeLessThan(HOUR);
    proxy.reset();
    await newCachedDiscoveryClientForConfig(config, options).serverGroupsAndResources();
    expect(discoveryRequests()).toEqual([]);
  });

  it('the TTL is configurable and judged by modification time', async () => {
    const dir = newDir();
    await diskClient(dir).serverGroups();
    await age(dir, 10 * 60_000);
    proxy.reset();
    await diskClient(dir, 20 * 60_000).serverGroupsAndResources();
    expect(discoveryRequests()).toHaveLength(0);
    await diskClient(dir, 5 * 60_000).serverGroupsAndResources();
    expect(discoveryRequests()).toHaveLength(2);
  });

  it('truncated, corrupt and foreign files are misses, fetched again and rewritten whole', async () => {
    const dir = newDir();
    await diskClient(dir).serverGroupsAndResources();
    const apps = resourcesFileFor(dir, 'apps/v1') as string;
    const core = resourcesFileFor(dir, 'v1') as string;
    const batch = resourcesFileFor(dir, 'batch/v1') as string;
    const whole = await readFile(apps);
    await writeFile(apps, whole.subarray(0, whole.length / 2));
    await writeFile(core, '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"not-discovery"}}');
    await writeFile(batch, whole); // apps/v1's list where batch/v1's should be
    proxy.reset();

    const result = await diskClient(dir).serverGroupsAndResources();
    expect(own(result)).toEqual(own(live));
    // The three damaged lists came from one round of the delegate.
    expect(discoveryRequests().map((r) => r.path).sort()).toEqual(['/api', '/apis']);
    expect(decodeResourceList(await readFile(apps), 'apps/v1')).toBeDefined();
    expect(decodeResourceList(await readFile(core), 'v1')).toBeDefined();
    expect(decodeResourceList(await readFile(batch), 'batch/v1')?.resources.map((r) => r.name)).toContain('jobs');

    await writeFile(serverGroupsFile(dir), new Uint8Array([0x7b, 0xff, 0x00, 0x22]));
    proxy.reset();
    expect((await diskClient(dir).serverGroups()).groups[0]?.name).toBe('');
    expect(discoveryRequests()).toHaveLength(2);
  });

  it('group-version names cannot reach outside the folder, even from a fresh servergroups.json', async () => {
    // Two levels down, so that `../../escape` stays inside this test's scratch folder.
    const dir = join(root, 'nest', 'deep', 'cache');
    await diskClient(dir).serverGroupsAndResources();
    // A planted group list naming a path, and a planted file where that path leads.
    const groups = decodeGroupList(await readFile(serverGroupsFile(dir)))!;
    const evil = { name: '../../escape', versions: [{ groupVersion: '../../escape/v1', version: 'v1' }], preferredVersion: { groupVersion: '../../escape/v1', version: 'v1' } };
    await writeFile(serverGroupsFile(dir), JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups.groups, evil] }));
    const outside = join(dir, '..', '..', 'escape', 'v1');
    await mkdir(outside, { recursive: true });
    const planted = JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: '../../escape/v1', resources: [{ name: 'planted', singularName: 'planted', namespaced: true, kind: 'Planted', verbs: ['get'] }] });
    await writeFile(join(outside, 'serverresources.json'), planted);
    const outsideBefore = await filesUnder(join(dir, '..', '..', 'escape'));

    const client = diskClient(dir);
    const direct = await errorOf(client.serverResourcesForGroupVersion('../../escape/v1'));
    expect(CacheNotFoundError.isInstance(direct)).toBe(true);
    const walk = await errorOf(client.serverGroupsAndResources());
    expect(GroupDiscoveryFailedError.isInstance(walk)).toBe(true);
    const failed = walk as GroupDiscoveryFailedError;
    expect([...failed.failed.keys()]).toEqual(['../../escape/v1']);
    expect(failed.resources.flatMap((l) => l.resources).some((r) => r.name === 'planted')).toBe(false);
    expect(failed.resources.map((l) => l.groupVersion)).toContain('apps/v1');
    expect(await filesUnder(join(dir, '..', '..', 'escape'))).toEqual(outsideBefore);
    expect(await readFile(join(outside, 'serverresources.json'), 'utf8')).toBe(planted);
    for (const name of ['..', '../..', '/etc/x', 'a/b/c']) {
      expect(await errorOf(client.serverResourcesForGroupVersion(`${name}/v1`))).toBeInstanceOf(Error);
    }
    await rm(join(dir, '..', '..', 'escape'), { recursive: true, force: true });
  });

  it('8 processes filling and invalidating one folder at once leave only whole, valid files', async () => {
    const dir = newDir();
    const connectionFile = join(root, 'connection.json');
    await writeFile(connectionFile, JSON.stringify({ server: cluster.server, caCert: cluster.caCert, cert: cluster.admin.cert, key: cluster.admin.key }), { mode: 0o600 });
    const worker = join(here, 'test', 'cache-worker.ts');
    const outcomes = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = fork(worker, [connectionFile, dir, '2'], { execArgv: ['--conditions=@kgo/source'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
            let stderr = '';
            child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
            child.on('exit', (code) => {
              clearTimeout(timer);
              resolve({ code, stderr });
            });
          }),
      ),
    );
    expect(outcomes).toEqual(Array.from({ length: 8 }, () => ({ code: 0, stderr: '' })));

    const files = await filesUnder(dir);
    // Only cache files: no temporary file left behind, nothing half-written.
    expect(files.filter((f) => f !== 'servergroups.json' && !f.endsWith('/serverresources.json'))).toEqual([]);
    const groups = decodeGroupList(await readFile(serverGroupsFile(dir)));
    expect(groups).toBeDefined();
    // Every group-version the final group list names has its file (other suites may add or remove CRDs meanwhile).
    for (const version of groups!.groups.flatMap((g) => g.versions)) expect(files).toContain(`${version.groupVersion}/serverresources.json`);
    for (const file of files.filter((f) => f !== 'servergroups.json')) {
      const gv = file.slice(0, -'/serverresources.json'.length);
      expect(decodeResourceList(await readFile(join(dir, file)), gv), file).toBeDefined();
    }
  }, 120_000);
});

describe('kubectl and kgo share one cache', () => {
  /** Runs kubectl (@kgo/discovery's test runner) against the proxy, with its cache under `cacheDir`. */
  async function kubectl(cacheDir: string, args: string[]): Promise<string> {
    const kubeconfig = await writeKubeconfig(join(root, 'proxy.kubeconfig'), { name: 'proxy', server: proxy.url, caCert: proxy.caCert }, { name: 'anyone', token: 'unused-by-the-proxy' });
    const result = await runKubectl(args, { kubeconfig, cacheDir });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  /** `kubectl api-resources -o name` rows: `<plural>.<group>` (core: `<plural>`). */
  const names = (output: string) => output.trim().split('\n').filter(Boolean).sort();
  const kgoNames = (lists: APIResourceList[]) =>
    lists
      .flatMap((list) => list.resources.map((r) => (list.groupVersion.includes('/') ? `${r.name}.${list.groupVersion.split('/')[0]}` : r.name)))
      .sort();

  it('kubectl api-resources --cached uses a cache kgo wrote: no discovery request reaches the server', async () => {
    const cacheDir = join(root, 'kube-from-kgo');
    const dir = discoveryCacheDir(proxy.url, cacheDir);
    const preferred = await diskClient(dir).serverPreferredResources();
    proxy.reset();
    const output = await kubectl(cacheDir, ['api-resources', '--cached', '-o', 'name']);
    expect(discoveryRequests('kubectl')).toEqual([]);
    expect(names(output)).toEqual(kgoNames(preferred));
    expect(names(output).filter((n) => n.endsWith(`.${SUITE}.kgo.test`)).length).toBeGreaterThanOrEqual(60);
  });

  it('kgo uses a cache kubectl wrote, with no request, and writes the same bytes kubectl does', async () => {
    const cacheDir = join(root, 'kube-from-kubectl');
    await kubectl(cacheDir, ['api-resources', '-o', 'name']);
    expect(discoveryRequests('kubectl').length).toBeGreaterThanOrEqual(2);
    const dir = discoveryCacheDir(proxy.url, cacheDir);
    proxy.reset();

    const client = diskClient(dir);
    const result = await client.serverGroupsAndResources();
    expect(discoveryRequests('kgo')).toEqual([]);
    expect(client.fresh()).toBe(false);
    expect(own(result)).toEqual(own(live));

    // kgo's files for the same server, byte for byte (this suite's and the built-in ones).
    const kgoDir = newDir();
    await diskClient(kgoDir).serverGroupsAndResources();
    const kubectlFiles = (await filesUnder(dir)).filter((f) => f !== 'servergroups.json' && ownGroupVersion(f.slice(0, -'/serverresources.json'.length)));
    expect(kubectlFiles.length).toBeGreaterThan(60);
    for (const file of kubectlFiles) {
      expect(await readFile(join(kgoDir, file), 'utf8'), file).toBe(await readFile(join(dir, file), 'utf8'));
    }
  });
});

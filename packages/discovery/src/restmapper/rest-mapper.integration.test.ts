import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConfig, foreignTo } from '../__fixtures__/suite.ts';
import { DiscoveryClient } from '../discovery-client.ts';
import type { GroupsAndResources } from '../discovery-interface.ts';
import { GroupDiscoveryFailedError } from '../errors/group-discovery-failed-error.ts';
import { mapConcurrently } from '../helpers/map-concurrently.ts';
import { crdFixtures, crdFor, type CountingProxy, deleteCrdFixtures, installCrdFixtures, isDiscoveryPath, kubectl, startCountingProxy } from '../test/index.ts';
import { DeferredDiscoveryRESTMapper } from './deferred-discovery-rest-mapper.ts';
import { DiscoveryRESTMapper } from './discovery-rest-mapper.ts';
import type { GroupVersionResource } from '@kgo/rest';

/*
 * The RESTMapper against kubectl on the same server: every name kubectl accepts for a resource
 * (plural, singular, kind, short names, group- and version-qualified forms, group prefixes) must
 * resolve to the resource kubectl requests, names kubectl rejects must fail, short-name
 * collisions must warn alike, categories must expand alike. kubectl's choice is read from the
 * URLs it logs at -v=6.
 */

const SUITE = 'map';
const foreign = foreignTo(SUITE);
const config = adminConfig(testCluster());
let snapshot: GroupsAndResources;
let cacheDir: string;
const kubeconfig = () => testCluster().adminKubeconfig;

beforeAll(async () => {
  await installCrdFixtures(config, crdFixtures({ suite: SUITE }));
  try {
    snapshot = await new DiscoveryClient(config).serverGroupsAndResources();
  } catch (error) {
    // Another suite's broken APIService may be up; the rest is complete.
    if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
    snapshot = { groups: error.groups, resources: error.resources };
  }
  cacheDir = await mkdtemp(join(tmpdir(), 'kgo-kubectl-cache-'));
}, 180_000);

afterAll(async () => {
  await deleteCrdFixtures(config, SUITE);
});

const key = (r: GroupVersionResource) => `${r.resource}.${r.version}.${r.group}`;

/** The resources kubectl requested, from its -v=6 log (list calls carry `limit=500`). */
function requestedResources(stderr: string): string[] {
  const result: string[] = [];
  for (const match of stderr.matchAll(/\] GET (https?:\/\/\S+) \d{3}/g)) {
    const url = new URL(match[1] as string);
    // One resource per list: later pages (`continue`, when other suites left > 500 objects) are the same list.
    if (url.searchParams.get('limit') !== '500' || url.searchParams.has('continue')) continue;
    const parts = url.pathname.split('/').filter(Boolean);
    const [group, version, rest] = parts[0] === 'api' ? ['', parts[1] as string, parts.slice(2)] : [parts[1] as string, parts[2] as string, parts.slice(3)];
    const resource = rest[0] === 'namespaces' && rest.length > 2 ? (rest[2] as string) : (rest[0] as string);
    result.push(`${resource}.${version}.${group}`);
  }
  return result;
}

/** Every way a user may name each listable resource of this suite and of the built-in groups. */
function namesToTry(): string[] {
  const names = new Set<string>();
  for (const list of snapshot.resources) {
    const [group, version] = list.groupVersion.includes('/') ? (list.groupVersion.split('/') as [string, string]) : ['', list.groupVersion];
    if (foreign(group) || group.startsWith('broken.')) continue;
    for (const r of list.resources) {
      if (r.name.includes('/') || !r.verbs.includes('list')) continue;
      // Kinds in other cases only for this suite's resources: the built-ins add nothing new.
      const bare = [r.name, r.singularName, r.kind, ...(group.endsWith('.kgo.test') ? [r.kind.toUpperCase()] : []), ...(r.shortNames ?? [])].filter(Boolean);
      for (const name of bare) names.add(name);
      if (group === '') continue;
      const prefix = group.endsWith(`.${SUITE}.kgo.test`) ? group.split('.').slice(0, 2).join('.') : (group.split('.')[0] as string);
      for (const name of [r.name, r.singularName, ...(r.shortNames ?? [])].filter(Boolean)) names.add(`${name}.${group}`);
      for (const name of [r.name, ...(r.shortNames ?? [])]) {
        names.add(`${name}.${version}.${group}`);
        names.add(`${name}.${prefix}`);
      }
      names.add(`${r.kind}.${group}`);
      names.add(`${r.kind}.${version}.${group}`);
    }
  }
  return [...names];
}

describe('DiscoveryRESTMapper against kubectl get', () => {
  it('resolves every name to the resource kubectl requests, fails where kubectl fails, and warns alike', { timeout: 300_000 }, async () => {
    let warnings: string[] = [];
    const mapper = new DiscoveryRESTMapper(snapshot, { warningHandler: (w) => warnings.push(w) });
    const predicted = new Map<string, { gvr?: string; error?: string; warnings: string[] }>();
    for (const name of namesToTry()) {
      warnings = [];
      try {
        predicted.set(name, { gvr: key(mapper.mappingFor(name).resource), warnings });
      } catch (error) {
        predicted.set(name, { error: (error as Error).message, warnings });
      }
    }
    expect(predicted.size).toBeGreaterThan(700);


    // Batches of names kgo maps to distinct resources: kubectl lists each once, in argument order.
    const batches: string[][] = [];
    for (const [name, p] of predicted) {
      if (!p.gvr) continue;
      const batch = batches.find((b) => b.length < 150 && b.every((other) => predicted.get(other)?.gvr !== p.gvr));
      if (batch) batch.push(name);
      else batches.push([name]);
    }
    const mismatches: string[] = [];
    const single = async (name: string) => {
      const run = await kubectl(['get', name, '-A', '-o', 'name', '-v=6'], { kubeconfig: kubeconfig(), cacheDir });
      const got = requestedResources(run.stderr);
      const p = predicted.get(name);
      if (p?.gvr && (run.code !== 0 || got.join() !== p.gvr)) mismatches.push(`${name}: kgo ${p.gvr}, kubectl ${got.join() || run.stderr.split('\n').find((l) => l.startsWith('error')) || run.code}`);
      if (p?.error && run.code === 0) mismatches.push(`${name}: kgo fails (${p.error}), kubectl lists ${got.join()}`);
      if (p?.error && run.code !== 0 && !run.stderr.includes(`doesn't have a resource type`)) mismatches.push(`${name}: kubectl fails differently: ${run.stderr.slice(-300)}`);
      const theirs = run.warnings.filter((w) => w.startsWith('short name'));
      if (JSON.stringify(theirs) !== JSON.stringify(p?.warnings.filter((w) => w.startsWith('short name')))) mismatches.push(`${name}: warnings kgo ${JSON.stringify(p?.warnings)} kubectl ${JSON.stringify(theirs)}`);
    };
    await mapConcurrently(batches, 2, async (batch) => {
      const run = await kubectl(['get', batch.join(','), '-A', '-o', 'name', '-v=6'], { kubeconfig: kubeconfig(), cacheDir });
      const got = requestedResources(run.stderr);
      const expected = batch.map((name) => predicted.get(name)?.gvr);
      const theirWarnings = run.warnings.filter((w) => w.startsWith('short name')).sort();
      const ourWarnings = batch.flatMap((name) => predicted.get(name)?.warnings ?? []).sort();
      // On any difference, name by name to say which.
      if (run.code !== 0 || got.join() !== expected.join() || theirWarnings.join() !== ourWarnings.join()) for (const name of batch) await single(name);
    });
    const failing = [...predicted].filter(([, p]) => p.error).map(([name]) => name);
    await mapConcurrently(failing, 3, single);
    expect(mismatches).toEqual([]);
    expect(failing).toContain(`${SUITE[0]?.toUpperCase()}${SUITE.slice(1)}DatabaseCluster`);
    // The collision of two short names is reported, as kubectl does.
    expect(predicted.get(`${SUITE}dup`)?.warnings).toEqual([`short name "${SUITE}dup" could also match lower priority resource ${SUITE}ferrets.echo.${SUITE}.kgo.test`]);
  });

  for (const category of ['all', `${SUITE}-fixtures`]) {
    it(`expands the category ${category} to the resources kubectl lists`, async () => {
      const run = await kubectl(['get', category, '-A', '-o', 'name', '-v=6'], { kubeconfig: kubeconfig(), cacheDir });
      expect(run.code, run.stderr.slice(-500)).toBe(0);
      const mine = (gvrs: string[]) => gvrs.filter((gvr) => !foreign(gvr.split('.').slice(2).join('.')));
      const theirs = mine(requestedResources(run.stderr));
      const mapper = new DiscoveryRESTMapper(snapshot);
      const seen = new Set<string>();
      const ours: string[] = [];
      for (const gr of mapper.expandCategory(category) ?? []) {
        const mapping = mapper.mappingFor(gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
        const gvk = `${mapping.groupVersionKind.kind}.${mapping.groupVersionKind.version}.${mapping.groupVersionKind.group}`;
        if (!seen.has(gvk)) ours.push(key(mapping.resource));
        seen.add(gvk);
      }
      expect(mine(ours)).toEqual(theirs);
      expect(theirs.length).toBeGreaterThanOrEqual(category === 'all' ? 15 : 8);
    });
  }
});

describe('DiscoveryRESTMapper against kubectl explain', () => {
  it('names the same group, kind and version for short names, singulars, kinds and qualified names', { timeout: 120_000 }, async () => {
    const S = `${SUITE[0]?.toUpperCase()}${SUITE.slice(1)}`;
    const names = ['po', 'deploy', 'events', 'ev', 'svc', 'hpa', 'cronjobs', 'sc', 'deployments.apps', 'deployment', 'Deployment', 'ingress', `${SUITE}wd`, `${SUITE}widgets`, `${SUITE}widget`, `${S}Widget`, `${SUITE}mice`, `${SUITE}mouse`, `${SUITE}dup`, `${SUITE}sheep`, `${SUITE}people`, `${SUITE}gadgets`, `deployments.charlie.${SUITE}.kgo.test`, `${SUITE}dbc`, `${SUITE}policies`];
    const mapper = new DiscoveryRESTMapper(snapshot);
    const results = await mapConcurrently(names, 3, async (name) => {
      const run = await kubectl(['explain', name], { kubeconfig: kubeconfig(), cacheDir });
      const field = (label: string) => run.stdout.match(new RegExp(`^${label}:\\s+(\\S+)`, 'm'))?.[1] ?? '';
      const { groupVersionKind } = mapper.mappingFor(name);
      return { name, kubectl: `${field('GROUP')}/${field('VERSION')}/${field('KIND')}`, kgo: `${groupVersionKind.group}/${groupVersionKind.version}/${groupVersionKind.kind}` };
    });
    const rows = results.map((r) => (r.status === 'fulfilled' ? r.value : { name: '?', kubectl: String(r.reason), kgo: '' }));
    expect(rows.filter((r) => r.kubectl !== r.kgo)).toEqual([]);
  });
});

describe('DeferredDiscoveryRESTMapper', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    const cluster = testCluster();
    proxy = await startCountingProxy({ server: cluster.server, caCert: cluster.caCert, cert: cluster.admin.cert ?? '', key: cluster.admin.key ?? '' });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('finds a CRD installed after it first read discovery, re-reading once', { timeout: 120_000 }, async () => {
    const late = crdFor(
      { group: `late.${SUITE}.kgo.test`, kind: 'Latecomer', plural: `${SUITE}latecomers`, singular: `${SUITE}latecomer`, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }], shortNames: [`${SUITE}late`], categories: [], subresources: {} },
      SUITE,
    );
    const mapper = new DeferredDiscoveryRESTMapper(new DiscoveryClient({ host: proxy.url }), { minRereadIntervalMs: 0 });
    proxy.reset();
    expect((await mapper.mappingFor('deploy')).resource.resource).toBe('deployments');
    expect(proxy.count(({ path }) => isDiscoveryPath(path))).toBe(2);
    await installCrdFixtures(config, [late]);
    const mapping = await mapper.restMapping({ group: `late.${SUITE}.kgo.test`, kind: 'Latecomer' });
    expect(mapping).toEqual({
      resource: { group: `late.${SUITE}.kgo.test`, version: 'v1', resource: `${SUITE}latecomers` },
      groupVersionKind: { group: `late.${SUITE}.kgo.test`, version: 'v1', kind: 'Latecomer' },
      scope: 'namespace',
    });
    expect(proxy.count(({ path }) => isDiscoveryPath(path))).toBe(4);
    expect((await mapper.mappingFor(`${SUITE}late`)).resource.resource).toBe(`${SUITE}latecomers`);
    expect(proxy.count(({ path }) => isDiscoveryPath(path))).toBe(4);
  });
});

import { testCluster } from '@kgo/envtest/vitest';
import { isNotFound, RestClient, StatusError } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConfig, comparable, foreignTo, groupOf } from './__fixtures__/suite.ts';
import { DiscoveryClient } from './discovery-client.ts';
import { GroupDiscoveryFailedError } from './errors/group-discovery-failed-error.ts';
import { StaleGroupVersionError } from './errors/stale-group-version-error.ts';
import type { APIResourceList } from './model/api-resource.ts';
import { crdFixtures, crdFixtureSpecs, deleteCrdFixtures, installCrdFixtures } from './test/index.ts';
import { type CountingProxy, isDiscoveryPath, kubectl, parseApiResources, plainKubeconfig, startCountingProxy } from './test/index.ts';

/*
 * DiscoveryClient against the real kube-apiserver with 64 fixture CRDs in 32 groups; kubectl
 * (`api-resources -o wide`, `api-versions`, `version`, `get --raw`) is the oracle, and a counting
 * proxy in front of the server counts what each path sends.
 */

const SUITE = 'disc';
const foreign = foreignTo(SUITE);
const config = adminConfig();
let proxy: CountingProxy;
let proxyKubeconfig: string;

beforeAll(async () => {
  const cluster = testCluster();
  await installCrdFixtures(config, crdFixtures({ suite: SUITE }));
  proxy = await startCountingProxy({ server: cluster.server, caCert: cluster.caCert, cert: cluster.admin.cert ?? '', key: cluster.admin.key ?? '' });
  proxyKubeconfig = await plainKubeconfig(proxy.url);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await deleteCrdFixtures(config, SUITE);
});

const viaProxy = (legacy = false) => new DiscoveryClient({ host: proxy.url }, { legacy });
const gvsOf = (lists: APIResourceList[]) => lists.map((l) => l.groupVersion);

describe('aggregated and legacy discovery', () => {
  it('reads every group, version and resource in 2 requests with aggregated discovery', async () => {
    proxy.reset();
    const { groups, resources } = await viaProxy().serverGroupsAndResources();
    expect(proxy.requests.map((r) => r.path).sort()).toEqual(['/api', '/apis']);
    expect(proxy.requests.every((r) => r.accept.startsWith('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'))).toBe(true);
    expect(proxy.requests.every((r) => r.contentType.includes('v=v2'))).toBe(true);
    expect(groups[0]?.name).toBe('');
    // Every served version of every fixture CRD, and never the unserved one.
    const lists = new Map(resources.map((l) => [l.groupVersion, l]));
    for (const spec of crdFixtureSpecs({ suite: SUITE })) {
      for (const version of spec.versions) {
        const found = lists.get(`${spec.group}/${version.name}`)?.resources.find((r) => r.name === spec.plural);
        if (version.served) expect(found, `${spec.plural}.${spec.group}/${version.name}`).toMatchObject({ kind: spec.kind, singularName: spec.singular, namespaced: spec.scope === 'Namespaced' });
        else expect(found).toBeUndefined();
      }
    }
    const widgets = lists.get(`alpha.${SUITE}.kgo.test/v1`)?.resources.map((r) => r.name);
    expect(widgets).toEqual(expect.arrayContaining([`${SUITE}widgets`, `${SUITE}widgets/status`, `${SUITE}widgets/scale`]));
    expect(lists.get(`alpha.${SUITE}.kgo.test/v1`)?.resources.find((r) => r.name.endsWith('/scale'))).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('reads the legacy documents in 2 requests plus one per group-version, with the same result', async () => {
    const aggregated = await viaProxy().serverGroupsAndResources();
    proxy.reset();
    const legacy = await viaProxy(true).serverGroupsAndResources();
    const gvCount = legacy.groups.reduce((n, g) => n + g.versions.length, 0);
    expect(proxy.count()).toBe(2 + gvCount);
    expect(proxy.count((r) => isDiscoveryPath(r.path))).toBe(2 + gvCount);
    expect(proxy.requests.every((r) => r.contentType.startsWith('application/json') && !r.contentType.includes('apidiscovery'))).toBe(true);
    const withoutForeign = (lists: APIResourceList[]) => lists.filter((l) => !foreign(groupOf(l.groupVersion))).map(comparable);
    expect(withoutForeign(legacy.resources)).toEqual(withoutForeign(aggregated.resources));
    const groupsOf = (x: typeof legacy) => x.groups.filter((g) => !foreign(g.name)).map((g) => ({ name: g.name, versions: g.versions, preferredVersion: g.preferredVersion }));
    expect(groupsOf(legacy)).toEqual(groupsOf(aggregated));
  });

  it('shares one rate limiter and pool when made over an existing RestClient', async () => {
    const rest = new RestClient({ host: proxy.url });
    const discovery = new DiscoveryClient(rest);
    expect(discovery.restClient).toBe(rest);
    proxy.reset();
    await discovery.serverGroups();
    expect(proxy.count()).toBe(2);
  });

  it('reads one group-version; a missing one is NotFound, a missing core v1 is empty', async () => {
    const discovery = viaProxy();
    const apps = await discovery.serverResourcesForGroupVersion('apps/v1');
    expect(apps.groupVersion).toBe('apps/v1');
    expect(apps.resources.map((r) => r.name)).toContain('deployments');
    const error = await discovery.serverResourcesForGroupVersion(`nothing.${SUITE}.kgo.test/v1`).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect((error as StatusError).request?.url).toContain(`/apis/nothing.${SUITE}.kgo.test/v1`);
  });
});

describe('against kubectl', () => {
  it('serverGroups lists exactly what `kubectl api-versions` prints', async () => {
    const printed = await kubectl(['api-versions'], { kubeconfig: proxyKubeconfig });
    expect(printed.code, printed.stderr).toBe(0);
    const groups = await viaProxy().serverGroups();
    const ours = groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
    const theirs = printed.stdout.split('\n').filter(Boolean);
    const mine = (gvs: string[]) => gvs.filter((gv) => !foreign(groupOf(gv))).sort();
    expect(mine(ours)).toEqual(mine(theirs));
    expect(mine(ours).length).toBeGreaterThan(60);
  });

  for (const legacy of [false, true]) {
    it(`serverPreferredResources (${legacy ? 'legacy' : 'aggregated'}) equals every row of \`kubectl api-resources -o wide\``, async () => {
      const printed = await kubectl(['api-resources', '-o', 'wide'], { kubeconfig: proxyKubeconfig });
      expect(printed.code, printed.stderr).toBe(0);
      const theirs = parseApiResources(printed.stdout);
      const lists = await viaProxy(legacy).serverPreferredResources();
      const ours = lists.flatMap((list) =>
        list.resources.map((r) => ({
          name: r.name,
          shortNames: (r.shortNames ?? []).join(','),
          apiVersion: list.groupVersion,
          namespaced: String(r.namespaced),
          kind: r.kind,
          verbs: r.verbs.join(','),
          categories: (r.categories ?? []).join(','),
        })),
      );
      const mine = (rows: typeof ours) => rows.filter((row) => !foreign(groupOf(row.apiVersion))).sort((a, b) => `${a.apiVersion} ${a.name}`.localeCompare(`${b.apiVersion} ${b.name}`));
      expect(mine(ours)).toEqual(mine(theirs));
      expect(mine(ours).length).toBeGreaterThan(120);
    });
  }

  it('serverPreferredNamespacedResources equals `kubectl api-resources --namespaced=true`', async () => {
    const printed = await kubectl(['api-resources', '--namespaced=true', '-o', 'wide'], { kubeconfig: proxyKubeconfig });
    expect(printed.code, printed.stderr).toBe(0);
    const theirs = parseApiResources(printed.stdout).filter((row) => !foreign(groupOf(row.apiVersion))).map((row) => `${row.apiVersion} ${row.name}`).sort();
    const lists = await viaProxy().serverPreferredNamespacedResources();
    expect(lists.every((l) => l.resources.length > 0 && l.resources.every((r) => r.namespaced))).toBe(true);
    const ours = lists.flatMap((l) => l.resources.map((r) => `${l.groupVersion} ${r.name}`)).filter((row) => !foreign(groupOf(row.split(' ')[0] as string))).sort();
    expect(ours).toEqual(theirs);
  });

  it('serverVersion equals the server version kubectl reports', async () => {
    const printed = await kubectl(['version', '-o', 'json'], { kubeconfig: proxyKubeconfig });
    const { serverVersion } = JSON.parse(printed.stdout) as { serverVersion: Record<string, string> };
    const version = await viaProxy().serverVersion();
    // kubectl 1.32 predates the emulation fields; every field it knows must match.
    expect(version).toMatchObject(serverVersion);
    expect(Object.keys(serverVersion).length).toBeGreaterThanOrEqual(9);
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('openAPIV3 lists the index kubectl reads and fetches each document by its hashed URL', async () => {
    const printed = await kubectl(['get', '--raw', '/openapi/v3'], { kubeconfig: proxyKubeconfig });
    const index = JSON.parse(printed.stdout) as { paths: Record<string, { serverRelativeURL: string }> };
    const paths = await viaProxy().openAPIV3().paths();
    const mine = (keys: string[]) => keys.filter((k) => !foreign(k.split('/')[1] ?? '')).sort();
    expect(mine([...paths.keys()])).toEqual(mine(Object.keys(index.paths)));
    const alpha = paths.get(`apis/alpha.${SUITE}.kgo.test/v1`);
    expect(alpha?.serverRelativeURL).toBe(index.paths[`apis/alpha.${SUITE}.kgo.test/v1`]?.serverRelativeURL);
    expect(alpha?.hash).toMatch(/^[0-9A-F]{32,}$/);
    proxy.reset();
    const document = await alpha?.schema();
    expect(proxy.requests.map((r) => r.path)).toEqual([`/openapi/v3/apis/alpha.${SUITE}.kgo.test/v1`]);
    expect(new URL(proxy.requests[0]?.url ?? '', proxy.url).searchParams.get('hash')).toBe(alpha?.hash);
    expect(document?.openapi).toMatch(/^3\./);
    expect(Object.keys(document?.components?.schemas ?? {})).toContain(`test.kgo.${SUITE}.alpha.v1.${SUITE[0]?.toUpperCase()}${SUITE.slice(1)}Widget`);
  });
});

describe('a group-version that cannot be reached', () => {
  const name = `v1.broken.${SUITE}.kgo.test`;
  const apiServices = '/apis/apiregistration.k8s.io/v1/apiservices';

  // An APIService whose Service does not exist: the aggregator marks it Stale (aggregated
  // discovery) and answers 503 for its legacy document.
  beforeAll(async () => {
    const rest = new RestClient(config);
    await rest
      .post()
      .absPath(apiServices)
      .body({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name },
        spec: { group: `broken.${SUITE}.kgo.test`, version: 'v1', groupPriorityMinimum: 10, versionPriority: 10, insecureSkipTLSVerify: true, service: { name: 'nothing', namespace: 'default', port: 443 } },
      })
      .do();
    // Bounded wait until aggregated discovery reports it.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { failed } = await new DiscoveryClient(config).groupsAndMaybeResources();
      if (failed.has(`broken.${SUITE}.kgo.test/v1`)) break;
      if (Date.now() > deadline) throw new Error(`aggregated discovery never reported ${name} as stale`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);
  afterAll(async () => {
    await new RestClient(config).delete().absPath(apiServices, name).do();
  });

  for (const legacy of [false, true]) {
    it(`${legacy ? 'legacy' : 'aggregated'}: everything else is returned, with an error naming the group-version`, async () => {
      const gv = `broken.${SUITE}.kgo.test/v1`;
      const error = await viaProxy(legacy).serverGroupsAndResources().catch((e: unknown) => e);
      expect(GroupDiscoveryFailedError.isInstance(error)).toBe(true);
      const failure = error as GroupDiscoveryFailedError;
      expect([...failure.failed.keys()].filter((k) => !foreign(groupOf(k)))).toEqual([gv]);
      const cause = failure.failed.get(gv);
      if (legacy) {
        expect(StatusError.isInstance(cause) && cause.status.code).toBe(503);
        expect(failure.message).toMatch(new RegExp(`^unable to retrieve the complete list of server APIs: ${gv.replaceAll('.', '\\.')}: .*unable to handle the request`));
      } else {
        expect(StaleGroupVersionError.isInstance(cause)).toBe(true);
        expect(failure.message).toContain(`unable to retrieve the complete list of server APIs: ${gv}: stale GroupVersion discovery: ${gv}`);
      }
      expect(gvsOf(failure.resources)).toEqual(expect.arrayContaining(['v1', 'apps/v1', `alpha.${SUITE}.kgo.test/v1`]));
      expect(failure.resources.length).toBeGreaterThan(60);
      expect(failure.groups.some((g) => g.name === `broken.${SUITE}.kgo.test`)).toBe(true);

      const preferred = await viaProxy(legacy).serverPreferredResources().catch((e: unknown) => e);
      expect(GroupDiscoveryFailedError.isInstance(preferred)).toBe(true);
      expect((preferred as GroupDiscoveryFailedError).resources.flatMap((l) => l.resources.map((r) => r.name))).toContain('deployments');
    });
  }
});

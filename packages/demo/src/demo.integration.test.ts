import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CountingProxy, isDiscoveryPath, kubectl, parseApiResources, plainKubeconfig, startCountingProxy } from '@kgo/discovery/test';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { HttpClient, isNotFound, RestClient } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScratchNamespace, SCRATCH_LABEL } from './scratch-namespace.ts';
import { DEMO_DEPLOYMENT } from './steps/deployment-rollout.ts';
import { DEMO_POD } from './steps/informer-pod-events.ts';

/*
 * The main job, run as users run it (a child `node --conditions=@kgo/source src/cli.ts`):
 * against "an existing cluster" (a kubeconfig naming the test cluster, through a proxy that counts
 * what reaches the server), and on a machine without a kubeconfig (its own embedded control plane).
 */

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const RUN_TIMEOUT_MS = 150_000;

interface DemoRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], options: { cwd: string; kubeconfig: string }): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@kgo/source', CLI, ...args],
      { cwd: options.cwd, env: { ...process.env, KUBECONFIG: options.kubeconfig, NO_COLOR: '1' }, timeout: RUN_TIMEOUT_MS },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The text of each step, by number: from its `── N/6` heading to the next one (or the summary). */
function steps(stdout: string): Map<number, string> {
  const sections = new Map<number, string>();
  const parts = stdout.split(/^(?=── \d+\/\d+ |summary$)/m);
  for (const part of parts) {
    const number = /^── (\d+)\//.exec(part)?.[1];
    if (number) sections.set(Number(number), part);
  }
  return sections;
}

/** Rows of the summary table: step number → requests. */
function summaryRequests(stdout: string): Map<number, number> {
  const summary = stdout.slice(stdout.lastIndexOf('\nsummary\n'));
  const rows = [...summary.matchAll(/^ {2}(\d+) {3}.*? (\d+) {3,}\d+(?:\.\d)? m?s$/gm)];
  return new Map(rows.map((row) => [Number(row[1]), Number(row[2])]));
}

/** The REQUESTS column of step 5's table, one number per run. */
function cachedDiscoveryRuns(section: string): number[] {
  return [...section.matchAll(/^ {2}(\d) {5}\d+ \+ \d+ +(\d+) /gm)].map((row) => Number(row[2]));
}

/** The cells of the first table in a step's text, cut at the header's column positions. */
function tableRows(section: string): string[][] {
  const lines = section.split('\n').filter((line) => line.startsWith('  ') && !line.startsWith('  ✓') && !line.startsWith('  ✗'));
  const header = lines.findIndex((line) => /^ {2}[A-Z][A-Z ]+$/.test(line));
  const starts = [...(lines[header] ?? '').matchAll(/\S+/g)].map((match) => match.index);
  return lines.slice(header + 1).map((line) => starts.map((start, i) => line.slice(start, starts[i + 1]).trim()));
}

/** Step 6's event rows for the demo's pod: [EVENT, RESOURCEVERSION, DETAIL], in the order printed. */
function podEvents(section: string): string[][] {
  return tableRows(section)
    .filter(([type, name]) => ['ADDED', 'MODIFIED', 'DELETED'].includes(type ?? '') && name === DEMO_POD)
    .map(([type, , resourceVersion, , detail]) => [type ?? '', resourceVersion ?? '', detail ?? '']);
}

/**
 * Step 6 printed the pod's ADDED, then MODIFIED events (the label patch among them), then
 * DELETED last, with rising resourceVersions: what the informer's handler received, in order.
 */
function expectPodEventsInOrder(section: string): void {
  const events = podEvents(section);
  expect(events.map(([type]) => type).filter((type, i, all) => type !== all[i - 1])).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  expect(events.filter(([type]) => type === 'MODIFIED').map(([, , detail]) => detail)).toContain('label kgo-demo/step=changed');
  const versions = events.map(([, resourceVersion]) => BigInt(resourceVersion ?? ''));
  expect(versions).toEqual([...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(new Set(versions).size).toBe(versions.length);
  expect(section).toMatch(/✓ ADDED, MODIFIED, DELETED, each ≤ \d+ ms after its request/);
}

/**
 * Step 7 printed the Deployment created, rolled out with 2 ready replicas of the first image,
 * updated, rolled out with 1 of the second, and deleted: what the watches reported, in order.
 */
function expectRollouts(section: string): void {
  const rows = tableRows(section).filter(([action]) => ['created', 'rolled out', 'updated', 'deleted'].includes(action ?? ''));
  expect(rows.map(([action, image, replicas, updated, ready]) => [action, image, replicas, updated, ready])).toEqual([
    ['created', 'registry.k8s.io/pause:3.10', '2', '0', '0'],
    ['rolled out', 'registry.k8s.io/pause:3.10', '2', '2', '2'],
    ['updated', 'registry.k8s.io/pause:3.9', '1', expect.any(String), expect.any(String)],
    ['rolled out', 'registry.k8s.io/pause:3.9', '1', '1', '1'],
    ['deleted', 'registry.k8s.io/pause:3.9', '1', expect.any(String), expect.any(String)],
  ]);
  expect(section).toMatch(/✓ rolled out twice \(registry\.k8s\.io\/pause:3\.10 ×2, then registry\.k8s\.io\/pause:3\.9 ×1\), 1 listed, deleted in the foreground/);
}

/** A request that opened a watch (or a watch-list stream): not counted by the demo's rate-limiter count. */
const isWatch = (request: { url: string }) => /[?&]watch=(true|1)\b/.test(request.url);

const cluster = testCluster();
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const podNames = [`demo-a-${run}`, `demo-b-${run}`];
const http = new HttpClient(restConfigFor(cluster));
const clientset = createClientSet(http, { coreV1 });
let proxy: CountingProxy;
let workDir: string;
let proxyKubeconfig: string;

beforeAll(async () => {
  expect(cluster.nodes?.length, 'the demo suite runs on a cluster with nodes (vitest.config.ts provides kgoEnvtestNodes)').toBeGreaterThan(0);
  // A real cluster has pods in kube-system; envtest has none of its own: make two, and wait until its nodes run them.
  for (const name of podNames) {
    await clientset.coreV1().pods('kube-system').create({
      metadata: { name, labels: { 'kgo-demo-test': run } },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    });
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pods = await clientset.coreV1().pods('kube-system').list({ labelSelector: `kgo-demo-test=${run}` });
    if (pods.items.every((pod) => pod.status?.phase === 'Running')) break;
    if (Date.now() > deadline) throw new Error(`the demo test's pods did not go Running: ${pods.items.map((p) => p.status?.phase).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  proxy = await startCountingProxy({ server: cluster.server, caCert: cluster.caCert, cert: cluster.admin.cert ?? '', key: cluster.admin.key ?? '' });
  workDir = await mkdtemp(join(tmpdir(), 'kgo-demo-test-'));
  proxyKubeconfig = await plainKubeconfig(proxy.url);
});

afterAll(async () => {
  await clientset.coreV1().pods('kube-system').deleteCollection({ gracePeriodSeconds: 0 }, { labelSelector: `kgo-demo-test=${run}` }).catch(() => {});
  await proxy?.close();
  await http.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the demo against an existing cluster (KUBECONFIG)', () => {
  let first: DemoRun;

  it('runs every step with real rows, says which context and server, and seeds nothing', async () => {
    first = await runDemo([], { cwd: workDir, kubeconfig: proxyKubeconfig });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`target: your context "proxy" at ${proxy.url}, kube-apiserver v`);
    expect(first.stdout).not.toContain('seeded:');
    expect(first.stdout).toContain('all 7 steps passed');

    const sections = steps(first.stdout);
    expect([...sections.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const step of [1, 2, 3]) {
      const section = sections.get(step) ?? '';
      for (const name of podNames) expect(section).toMatch(new RegExp(`^ {2}kube-system +${name} +Running$`, 'm'));
    }
    expect(sections.get(3)).toContain('each converted to Pod');
    const apiResources = sections.get(4) ?? '';
    expect(apiResources).toMatch(/^ {2}NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/m);
    expect(apiResources).toMatch(/^ {2}pods +po +v1 +true +Pod$/m);
    expect(apiResources).toMatch(/^ {2}deployments +deploy +apps\/v1 +true +Deployment$/m);
    expect(apiResources).toMatch(/^ {2}customresourcedefinitions +crd,crds +apiextensions\.k8s\.io\/v1 +false +CustomResourceDefinition$/m);

    expectPodEventsInOrder(sections.get(6) ?? '');
    expectRollouts(sections.get(7) ?? '');

    // Written only in the demo's own namespace (steps 6 and 7), and that namespace deleted at the end: none is left.
    const scratch = /^deleted namespace (kgo-demo-[a-z0-9]{5})$/m.exec(first.stdout)?.[1];
    expect(scratch).toBeDefined();
    const writes = proxy.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    const deployment = `/apis/apps/v1/namespaces/${scratch}/deployments`;
    // The update is sent again after a 409 (the deployment controller wrote status in between).
    expect(writes.filter((w, i) => !(w.startsWith('PUT ') && w === writes[i - 1]))).toEqual([
      'POST /api/v1/namespaces',
      `POST /api/v1/namespaces/${scratch}/pods`,
      `PATCH /api/v1/namespaces/${scratch}/pods/${DEMO_POD}`,
      `DELETE /api/v1/namespaces/${scratch}/pods/${DEMO_POD}`,
      `POST ${deployment}`,
      `PUT ${deployment}/${DEMO_DEPLOYMENT}`,
      `DELETE ${deployment}/${DEMO_DEPLOYMENT}`,
      `DELETE /api/v1/namespaces/${scratch}`,
    ]);
    const left = await clientset.coreV1().namespaces().list({ labelSelector: 'app.kubernetes.io/managed-by=kgo-demo' });
    expect(left.items.filter((ns) => !ns.metadata?.deletionTimestamp)).toEqual([]);
  });

  it('counts every request that reached the server: each step\'s count adds up to what the proxy saw', () => {
    const counted = summaryRequests(first.stdout);
    expect([...counted.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // One list per pod step; aggregated discovery is 2 requests; the cold cache also 2, then 0;
    // the informer step: its namespace, then create, patch and delete of the pod (its watch is not counted).
    expect([counted.get(1), counted.get(2), counted.get(3), counted.get(4), counted.get(5), counted.get(6)]).toEqual([1, 1, 1, 2, 2, 4]);
    // The Deployment step: create, get + update (once more per conflict), list, delete; its watches are not counted.
    const deploymentRequests = counted.get(7) ?? 0;
    expect(deploymentRequests).toBeGreaterThanOrEqual(5);
    expect((deploymentRequests - 5) % 2).toBe(0);
    const steps5 = cachedDiscoveryRuns(steps(first.stdout).get(5) ?? '');
    expect(steps5).toEqual([2, 0]);
    // The target check (GET /version) and the deletion of the demo's namespace at the end are the
    // requests no step made; watches are not counted (@kgo/rest takes no rate-limiter token for them).
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    expect(proxy.count((r) => r.path === '/version')).toBe(1);
    expect(proxy.count((r) => r.method === 'DELETE' && /^\/api\/v1\/namespaces\/kgo-demo-[a-z0-9]{5}$/.test(r.path))).toBe(1);
    expect(proxy.count((r) => !isWatch(r))).toBe(total + 2);
    // The informer's one stream: a watch-list (its first sync) or a list, then a watch.
    const watches = proxy.requests.filter(isWatch);
    expect(watches.length).toBeGreaterThanOrEqual(1);
    expect(watches.every((r) => /^\/api(s\/apps)?\/v1\/namespaces\/kgo-demo-[a-z0-9]{5}\/(pods|deployments)$/.test(r.path))).toBe(true);
    expect(watches.filter((r) => r.path.endsWith('/deployments'))).toHaveLength(3);
    expect(proxy.count((r) => isDiscoveryPath(r.path))).toBe(4);
  });

  it('prints every row kubectl api-resources prints, in kubectl\'s order (and the other versions too)', async () => {
    const oracle = await kubectl(['api-resources', '-o', 'wide'], { kubeconfig: cluster.adminKubeconfig });
    expect(oracle.code, oracle.stderr).toBe(0);
    const expected = parseApiResources(oracle.stdout).map((r) => [r.name, r.shortNames, r.apiVersion, r.namespaced, r.kind].join(' | '));
    expect(expected.length).toBeGreaterThan(40);
    const ours = tableRows(steps(first.stdout).get(4) ?? '').map((cells) => cells.join(' | '));
    // kubectl shows each resource at its group's preferred version; the demo shows every version.
    expect(ours.filter((row) => expected.includes(row))).toEqual(expected);
    expect(ours.length).toBeGreaterThanOrEqual(expected.length);
  });

  it('fills ./cache/discovery and ./cache/http, and a second run of step 5 makes 0 requests', async () => {
    expect(existsSync(join(workDir, 'cache', 'http'))).toBe(true);
    const host = proxy.url.replace('http://', '').replace(':', '_');
    expect(existsSync(join(workDir, 'cache', 'discovery', host, 'servergroups.json'))).toBe(true);
    expect(existsSync(join(workDir, 'cache', 'discovery', host, 'v1', 'serverresources.json'))).toBe(true);

    proxy.reset();
    const second = await runDemo(['--only', '5'], { cwd: workDir, kubeconfig: proxyKubeconfig });
    expect(second.code).toBe(0);
    const sections = steps(second.stdout);
    expect([...sections.keys()]).toEqual([5]);
    expect(cachedDiscoveryRuns(sections.get(5) ?? '')).toEqual([0, 0]);
    expect(proxy.count((r) => isDiscoveryPath(r.path))).toBe(0);
    expect(proxy.requests.map((r) => r.path)).toEqual(['/version']);
  });

  it('runs the informer step alone (--only 6): the pod\'s ADDED, MODIFIED and DELETED events in order', async () => {
    const result = await runDemo(['--only', '6'], { cwd: workDir, kubeconfig: proxyKubeconfig });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sections = steps(result.stdout);
    expect([...sections.keys()]).toEqual([6]);
    expect(sections.get(6)).toMatch(/^ {2}EVENT +NAME +RESOURCEVERSION +AFTER +DETAIL$/m);
    expectPodEventsInOrder(sections.get(6) ?? '');
    expect(result.stdout).toContain('all 1 step passed');
  });
});

describe('the demo on a machine without a kubeconfig', () => {
  it('starts, seeds and stops its embedded cluster with nodes, and every step prints the seeded rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-demo-embedded-'));
    try {
      const result = await runDemo([], { cwd: dir, kubeconfig: join(dir, 'no-such-kubeconfig') });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('no usable kubeconfig: invalid configuration: no configuration has been provided');
      const server = /^target: the embedded cluster \(@kgo\/envtest\) at (https:\/\/127\.0\.0\.1:\d+), kube-apiserver v\S+, nodes kwok-node-0, kwok-node-1, started in \d+\.\d s$/m.exec(result.stdout)?.[1];
      expect(server).toBeDefined();
      // Not a terminal: plain progress lines on stderr, no spinner frames.
      expect(result.stderr).toMatch(/^✓ starting a cluster with 2 nodes \(@kgo\/envtest\) \(\d+\.\d s\)$/m);
      expect(result.stderr).not.toContain('\r');

      const sections = steps(result.stdout);
      for (const step of [1, 2, 3]) {
        expect(sections.get(step)).toMatch(/^ {2}kube-system +coredns-demo +Running$/m);
        expect(sections.get(step)).toMatch(/^ {2}kube-system +metrics-server-demo +Running$/m);
      }
      expect(sections.get(4)).toMatch(/^ {2}widgets +wd +demo\.kgo\.dev\/v1 +true +Widget$/m);
      expect(cachedDiscoveryRuns(sections.get(5) ?? '')).toEqual([2, 0]);
      expectPodEventsInOrder(sections.get(6) ?? '');
      expectRollouts(sections.get(7) ?? '');
      expect(result.stdout).toContain('all 7 steps passed');

      // Stopped: the server no longer answers.
      await expect(fetch(`${server}/version`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the command line', () => {
  it('prints usage listing every step for --help, and refuses a step that does not exist with exit code 2', async () => {
    const [help, bad] = await Promise.all([
      runDemo(['--help'], { cwd: workDir, kubeconfig: proxyKubeconfig }),
      runDemo(['--only', '9'], { cwd: workDir, kubeconfig: proxyKubeconfig }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}1\. RESTClient: lists pods in kube-system with limit$/m);
    expect(help.stdout).toMatch(/^ {2}5\. cached DiscoveryClient: /m);
    expect(help.stdout).toMatch(/^ {2}6\. SharedInformer: prints pod events while the demo creates, changes and deletes a pod$/m);
    expect(bad.code).toBe(2);
    expect(help.stdout).toMatch(/^ {2}7\. Deployment: creates a Deployment, rolls it to a new image and deletes it, watching each rollout$/m);
    expect(bad.stderr).toContain('--only "9": give step numbers from 1 to 7');
  });
});

describe('ScratchNamespace (where the informer step writes)', () => {
  it('creates one labelled namespace on first use and deletes it', async () => {
    const scratch = new ScratchNamespace(http);
    expect(await scratch.delete()).toBeUndefined(); // never made: nothing to delete
    const name = await scratch.get();
    expect(await scratch.get()).toBe(name);
    expect(name).toMatch(/^kgo-demo-[a-z0-9]{5}$/);
    const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
    const made = await core.get().resource('namespaces').name(name).do().into<{ metadata: { labels: Record<string, string> } }>();
    expect(made.metadata.labels).toMatchObject(SCRATCH_LABEL);

    expect(await scratch.delete()).toBe(name);
    // Gone, or still terminating (the namespace controller finishes the deletion in its own time).
    const after = await core
      .get()
      .resource('namespaces')
      .name(name)
      .do()
      .into<{ metadata: { deletionTimestamp?: string } }>()
      .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
    if (after) expect(after.metadata.deletionTimestamp).toBeDefined();
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoveryCacheDir } from '@kgo/discovery-cache';
import { kubectl } from '@kgo/discovery/test';
import { DynamicClient, getResourceVersion } from '@kgo/dynamic';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { HttpClient } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { apiextensionsV1 } from '@kgo/typed/apiextensions/v1';
import { coreV1 } from '@kgo/typed/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Every example, run as a user runs it: its own Node process, reading KUBECONFIG (here the test
 * cluster's admin kubeconfig), resolving @kgo/* through the workspace (the source condition).
 */

const EXAMPLES_DIR = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.ts') && file !== 'vitest.config.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const cluster = testCluster();

function runExample(file: string, options: { args?: string[]; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@kgo/source', join(EXAMPLES_DIR, file), ...(options.args ?? [])],
      { cwd: options.cwd ?? EXAMPLES_DIR, env: { ...process.env, KUBECONFIG: cluster.adminKubeconfig }, timeout: 45_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const podNames = [`example-a-${run}`, `example-b-${run}`];
const http = new HttpClient(restConfigFor(cluster));
const clientset = createClientSet(http, { coreV1, apiextensionsV1 });
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'kgo-examples-'));
  // envtest has no kubelet, so kube-system starts empty: give the pod examples two pods (they stay Pending).
  for (const name of podNames) {
    await clientset.coreV1().pods('kube-system').create({
      metadata: { name, labels: { 'kgo-examples-test': run } },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    });
  }
});

afterAll(async () => {
  await clientset.coreV1().pods('kube-system').deleteCollection({ gracePeriodSeconds: 0 }, { labelSelector: `kgo-examples-test=${run}` }).catch(() => {});
  await http.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the examples, as files to copy', () => {
  it('are all here, and import only @kgo/* packages, node: built-ins and yaml — never a relative path', () => {
    expect(EXAMPLES.sort()).toEqual([
      'apply-yaml.ts',
      'cached-discovery.ts',
      'clientset-list-pods.ts',
      'create-update-delete-deployment.ts',
      'discovery-api-resources.ts',
      'dynamic-list-pods.ts',
      'informer-pod-events.ts',
      'protobuf-list-pods.ts',
      'rest-list-pods.ts',
    ]);
    for (const file of EXAMPLES) {
      const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      const specifiers = [...text.matchAll(/^import .*? from '([^']+)';$/gm)].map((match) => match[1] ?? '');
      expect(specifiers.length, file).toBeGreaterThan(0);
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).toMatch(/^(@kgo\/[a-z-]+(\/[a-z0-9./-]+)?|node:[a-z/]+|yaml)$/);
      expect(text, file).not.toMatch(/import\(['"]\./);
    }
  });
});

describe.each(['rest-list-pods.ts', 'clientset-list-pods.ts', 'protobuf-list-pods.ts', 'dynamic-list-pods.ts'])('%s', (file) => {
  it('prints namespace, name and phase of the pods in kube-system', async () => {
    const result = await runExample(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAMESPACE +NAME +PHASE/);
    for (const name of podNames) expect(result.stdout).toMatch(new RegExp(`^kube-system +${name} +Pending`, 'm'));
    if (file === 'dynamic-list-pods.ts') expect(result.stdout).toMatch(new RegExp(`^kube-system +${podNames[0]} +Pending +registry\\.k8s\\.io/pause:3\\.10$`, 'm'));
  });
});

describe('protobuf-list-pods.ts', () => {
  it('prints exactly what the JSON ClientSet example prints', async () => {
    const [json, protobuf] = await Promise.all([runExample('clientset-list-pods.ts'), runExample('protobuf-list-pods.ts')]);
    expect(protobuf.stdout).toBe(json.stdout);
  });
});

describe('informer-pod-events.ts', () => {
  it('prints the pod\'s ADDED, MODIFIED and DELETED events as the informer delivers them, in its own namespace, then deletes it', async () => {
    const result = await runExample('informer-pod-events.ts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const namespace = /^namespace (kgo-informer-example-[a-z0-9]{5}): synced at resourceVersion \d+$/m.exec(result.stdout)?.[1];
    expect(namespace).toBeDefined();
    expect(result.stdout).toMatch(/^EVENT +NAME +RESOURCEVERSION +DETAIL$/m);
    const rows = [...result.stdout.matchAll(/^(ADDED|MODIFIED|DELETED) +informer-example +(\d+) +(.*)$/gm)].map((m) => ({ type: m[1], rv: BigInt(m[2] ?? ''), detail: m[3] }));
    // On envtest nothing else touches the pod: created, patched, marked for deletion, deleted.
    expect(rows.map((row) => `${row.type} ${row.detail}`)).toEqual([
      'ADDED label step=created',
      'MODIFIED label step=changed',
      'MODIFIED label step=changed, deleting',
      'DELETED label step=changed, deleting',
    ]);
    expect(rows.map((row) => row.rv)).toEqual([...rows.map((row) => row.rv)].sort((a, b) => (a < b ? -1 : 1)));
    expect(result.stdout).toMatch(/^the lister had label step=changed; it now has 0 pods$/m);
    // Its namespace is gone, or terminating (envtest runs no namespace controller to finish it).
    const left = await clientset.coreV1().namespaces().get(namespace ?? '').catch(() => undefined);
    if (left) expect(left.metadata?.deletionTimestamp).toBeDefined();
  });
});

describe('discovery-api-resources.ts', () => {
  it('prints kubectl api-resources\' columns for every group-version', async () => {
    const result = await runExample('discovery-api-resources.ts');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/m);
    expect(result.stdout).toMatch(/^pods +po +v1 +true +Pod$/m);
    expect(result.stdout).toMatch(/^deployments +deploy +apps\/v1 +true +Deployment$/m);
    expect(result.stdout).toMatch(/^horizontalpodautoscalers +hpa +autoscaling\/v1 +true +HorizontalPodAutoscaler$/m);
    expect(result.stdout).toMatch(/^\d+ groups, \d+ group-versions, \d+ resources$/m);
  });
});

describe('cached-discovery.ts', () => {
  it('fills ./cache/discovery and ./cache/http on the first run and answers from them with 0 requests after', async () => {
    const first = await runExample('cached-discovery.ts', { cwd: workDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^run 1: 2 requests, \d+ groups/m); // aggregated discovery: /api and /apis
    expect(first.stdout).toMatch(/^run 2: 0 requests, \d+ groups/m);
    const discoveryDir = discoveryCacheDir(cluster.server, join(workDir, 'cache'));
    expect(existsSync(join(discoveryDir, 'servergroups.json'))).toBe(true);
    expect(readdirSync(join(workDir, 'cache', 'http')).length).toBe(2);

    const second = await runExample('cached-discovery.ts', { cwd: workDir });
    expect(second.stdout).toMatch(/^run 1: 0 requests, \d+ groups/m);
  });
});

describe('apply-yaml.ts', () => {
  const namespace = `kgo-ex-${run}`;
  const group = `g${run}.kgo.example`;
  const manifest = `# a namespace, objects in it, a CRD and one of its objects
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ${namespace} }
data: { mode: test }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: ${namespace} }
spec: { defaultBackend: { service: { name: web, port: { number: 80 } } } }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.${group} }
spec:
  group: ${group}
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
---
apiVersion: ${group}/v1
kind: Gadget
metadata: { name: first, namespace: ${namespace} }
spec: { size: 1 }
---
`;
  const sampleCrd = 'crontabs.stable.example.com';

  afterAll(async () => {
    await clientset.coreV1().namespaces().delete(namespace).catch(() => {});
    await clientset.coreV1().namespaces().delete('kgo-example').catch(() => {});
    await clientset.apiextensionsV1().customResourceDefinitions().delete(`gadgets.${group}`).catch(() => {});
    await clientset.apiextensionsV1().customResourceDefinitions().delete(sampleCrd).catch(() => {});
  });

  it('server-side applies every document, a CRD\'s objects included, printing what kubectl apply --server-side prints', async () => {
    const file = join(workDir, 'manifest.yaml');
    await writeFile(file, manifest);
    const result = await runExample('apply-yaml.ts', { args: [file] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      `namespace/${namespace} serverside-applied`,
      'configmap/settings serverside-applied',
      'ingress.networking.k8s.io/web serverside-applied',
      `customresourcedefinition.apiextensions.k8s.io/gadgets.${group} serverside-applied`,
      `gadget.${group}/first serverside-applied`,
    ]);
    const gadget = await new DynamicClient(http).resource({ group, version: 'v1', resource: 'gadgets' }).namespace(namespace).get('first');
    expect(gadget.spec).toEqual({ size: 1 });
    expect(gadget.metadata?.managedFields?.map((entry) => entry.manager)).toEqual(['kgo-example']);

    // Applying again changes nothing on the server; kubectl, given the same file, prints the same lines.
    const before = getResourceVersion(gadget);
    expect((await runExample('apply-yaml.ts', { args: [file] })).code).toBe(0);
    const again = await new DynamicClient(http).resource({ group, version: 'v1', resource: 'gadgets' }).namespace(namespace).get('first');
    expect(getResourceVersion(again)).toBe(before);
    const oracle = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', file], { kubeconfig: cluster.adminKubeconfig });
    expect(oracle.code, oracle.stderr).toBe(0);
    expect(oracle.stdout).toBe(result.stdout);
  });

  it('applies its own sample when given no file', async () => {
    const result = await runExample('apply-yaml.ts');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`customresourcedefinition.apiextensions.k8s.io/${sampleCrd} serverside-applied`);
    expect(result.stdout).toContain('crontab.stable.example.com/nightly serverside-applied');
  });
});

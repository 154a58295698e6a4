import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { HttpClient, isConflict, PatchType, type Warning } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genKgoExampleV1 } from './__fixtures__/crd-clients/gen.kgo.example/v1/client.ts';
import type { Widget } from './__fixtures__/crd-clients/gen.kgo.example/v1/types.ts';
import { genKgoExampleV1beta1 } from './__fixtures__/crd-clients/gen.kgo.example/v1beta1/client.ts';
import { main, readCrdFiles } from './cli.ts';
import { apiextensionsV1 } from './generated/apiextensions/v1/client.ts';
import { coreV1 } from './generated/core/v1/client.ts';

/*
 * kgo-typed-gen crd: the committed output in __fixtures__/crd-clients is what the CLI writes for
 * __fixtures__/crds.yaml (checked below), it type-checks with the package (`pnpm typecheck`), and
 * it round-trips against the real server.
 */

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, '__fixtures__', 'crds.yaml');
const committed = join(here, '__fixtures__', 'crd-clients');

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return files;
}

describe('kgo-typed-gen crd', () => {
  it('writes what is committed (one module per served version; the unserved one is skipped)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'kgo-crd-gen-'));
    try {
      expect(await main(['crd', 'src/__fixtures__/crds.yaml', '--out', out])).toBe(0);
      const fresh = await filesUnder(out);
      expect([...fresh.keys()].sort()).toEqual([
        'gen.kgo.example/v1/client.ts',
        'gen.kgo.example/v1/index.ts',
        'gen.kgo.example/v1/types.ts',
        'gen.kgo.example/v1beta1/client.ts',
        'gen.kgo.example/v1beta1/index.ts',
        'gen.kgo.example/v1beta1/types.ts',
      ]);
      const expected = await filesUnder(committed);
      for (const [path, content] of fresh) expect(content, path).toBe(expected.get(path));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('refuses a document that is not a CRD with a message naming the file, and bad usage with the usage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-crd-bad-'));
    try {
      const bad = join(dir, 'bad.yaml');
      await import('node:fs/promises').then((fs) => fs.writeFile(bad, 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {}\n'));
      await expect(readCrdFiles([bad])).rejects.toThrow(`${bad} (document 1): CustomResourceDefinition  needs spec.group`);
      expect(await main(['crd', '--out', dir])).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('generated CRD clients against the real server', () => {
  const cluster = testCluster();
  const warnings: Warning[] = [];
  const http = new HttpClient({ ...restConfigFor(cluster), warningHandler: (warning) => warnings.push(warning) });
  const namespace = uniqueNamespace('kgo-crd-gen');
  const widgets = genKgoExampleV1(http).widgets(namespace);

  beforeAll(async () => {
    const crds = apiextensionsV1(http).customResourceDefinitions();
    for (const crd of await readCrdFiles([fixture])) {
      await crds.create(crd as Parameters<typeof crds.create>[0]).catch(() => {});
    }
    for (const name of ['widgets.gen.kgo.example', 'gizmos.gen.kgo.example']) {
      for (let i = 0; i < 100; i++) {
        const crd = await crds.get(name);
        if (crd.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await coreV1(http).namespaces().create({ metadata: { name: namespace } });
  }, 60_000);
  afterAll(async () => {
    await coreV1(http).namespaces().delete(namespace).catch(() => {});
    await http.close();
  });

  it('creates, reads, lists and patches a namespaced custom resource with nested, int-or-string and free-form fields', async () => {
    const widget: Widget = {
      apiVersion: 'gen.kgo.example/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 'small', replicas: 1, port: 'http', parts: [{ name: 'bolt', weight: 1.5, tags: { m: '8' } }], extra: { anything: { goes: [1, 'two'] } } },
    };
    const created = await widgets.create(widget);
    expect(created.spec).toEqual(widget.spec);
    expect((await widgets.get('w1')).spec?.port).toBe('http');
    expect((await widgets.list()).items.map((item) => item.metadata?.name)).toEqual(['w1']);
    const patched = await widgets.patch('w1', PatchType.Merge, { spec: { port: 8080 } });
    expect(patched.spec?.port).toBe(8080);
  });

  it('updates status and scale through their subresources', async () => {
    const current = await widgets.get('w1');
    const withStatus = await widgets.updateStatus({ ...current, status: { replicas: 1, phase: 'Ready' } });
    expect(withStatus.status?.phase).toBe('Ready');
    const scale = await widgets.getScale('w1');
    expect(scale.spec?.replicas).toBe(1);
    await widgets.updateScale('w1', { ...scale, spec: { replicas: 4 } });
    expect((await widgets.get('w1')).spec?.replicas).toBe(4);
  });

  it('applies with two managers, a conflict, then force', async () => {
    const apply = (size: 'small' | 'large') => ({ apiVersion: 'gen.kgo.example/v1' as const, kind: 'Widget' as const, metadata: { name: 'w2' }, spec: { size } });
    await widgets.apply(apply('small'), { fieldManager: 'one' });
    await expect(widgets.apply(apply('large'), { fieldManager: 'two' })).rejects.toSatisfy(isConflict);
    expect((await widgets.apply(apply('large'), { fieldManager: 'two', force: true })).spec?.size).toBe('large');
  });

  it('serves the deprecated version with its warning, and cluster-scoped kinds without a namespace', async () => {
    const old = await genKgoExampleV1beta1(http).widgets(namespace).get('w1');
    expect(old.apiVersion).toBe('gen.kgo.example/v1beta1');
    expect(warnings.some((warning) => warning.text.includes('gen.kgo.example/v1beta1 Widget is deprecated'))).toBe(true);
    const gizmos = genKgoExampleV1(http).gizmos();
    const gizmo = await gizmos.create({ metadata: { name: `${namespace}-g` }, spec: { color: 'red' } });
    expect(gizmo.metadata?.namespace).toBeUndefined();
    await gizmos.delete(`${namespace}-g`);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseKubeconfig } from './parse.ts';
import { flattenKubeconfig, minifyKubeconfig, toKubeconfigV1 } from './view.ts';

const config = parseKubeconfig(`current-context: a
clusters: [{name: c, cluster: {server: https://c}}, {name: other, cluster: {server: https://o}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: a, context: {cluster: c, user: u}}, {name: b, context: {cluster: gone}}, {name: nn, context: {}}]
`);

describe('minify / flatten / toKubeconfigV1', () => {
  test('minify keeps the context and what it names', () => {
    const v1 = toKubeconfigV1(minifyKubeconfig(config));
    expect(v1.clusters).toEqual([{ name: 'c', cluster: { server: 'https://c' } }]);
    expect(v1.users).toEqual([{ name: 'u', user: { token: 't' } }]);
    expect(v1['current-context']).toBe('a');
    expect(toKubeconfigV1(minifyKubeconfig(config, 'nn')).clusters).toEqual([]);
  });

  test('minify refuses like kubectl', () => {
    expect(() => minifyKubeconfig(parseKubeconfig(''))).toThrow(/current-context must exist in order to minify/);
    expect(() => minifyKubeconfig(config, 'zz')).toThrow(/cannot locate context zz/);
    expect(() => minifyKubeconfig(config, 'b')).toThrow(/cannot locate cluster gone/);
  });

  test('flatten inlines files relative to their kubeconfig and refuses path + data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-view-'));
    await writeFile(join(dir, 'ca.crt'), 'CA');
    const file = join(dir, 'config');
    const withFile = parseKubeconfig('clusters: [{name: c, cluster: {server: https://c, certificate-authority: ca.crt}}]', file);
    expect((await flattenKubeconfig(withFile)).clusters.get('c')).toMatchObject({ 'certificate-authority-data': 'Q0E=' });
    const both = parseKubeconfig('clusters: [{name: c, cluster: {certificate-authority: ca.crt, certificate-authority-data: Q0E=}}]', file);
    await expect(flattenKubeconfig(both)).rejects.toThrow(/cannot have values for both path and contents/);
    const missing = parseKubeconfig('users: [{name: u, user: {client-key: nope.key}}]', file);
    await expect(flattenKubeconfig(missing)).rejects.toMatchObject({ file, field: 'users[u].user.client-key' });
  });

  test('names are printed sorted and origins are not printed', () => {
    const v1 = toKubeconfigV1(parseKubeconfig('clusters: [{name: z, cluster: {}}, {name: a, cluster: {}}]', '/f'));
    expect(v1.clusters).toEqual([{ name: 'a', cluster: {} }, { name: 'z', cluster: {} }]);
  });
});

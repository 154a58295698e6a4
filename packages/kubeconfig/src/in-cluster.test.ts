import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { buildConfigFromFlags, loadConfig } from './resolve-config.ts';
import { inClusterConfig, inClusterPossible } from './in-cluster.ts';

const pki = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'pki');

async function saDir(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'kgo-sa-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('inClusterConfig', () => {
  test('host, token file, CA and namespace', async () => {
    const ca = await readFile(join(pki, 'ca.crt'), 'utf8');
    const dir = await saDir({ token: 'sa-SECRET\n', 'ca.crt': ca, namespace: 'team\n' });
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    expect(await inClusterConfig({ serviceAccountDir: dir, env })).toEqual({
      config: { host: 'https://10.0.0.1:443', bearerTokenFile: join(dir, 'token'), tls: { caData: ca } },
      namespace: 'team',
    });
    expect((await inClusterConfig({ serviceAccountDir: dir, env: { ...env, POD_NAMESPACE: 'pod-ns' } })).namespace).toBe('pod-ns');
    expect((await inClusterConfig({ serviceAccountDir: dir, env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' } })).config.host).toBe('https://[fd00::1]:443');
    expect(await inClusterPossible({ serviceAccountDir: dir, env })).toBe(true);
  });

  test('namespace defaults to "default"', async () => {
    const dir = await saDir({ token: 't' });
    expect((await inClusterConfig({ serviceAccountDir: dir, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } })).namespace).toBe('default');
  });

  test('clear errors outside a pod', async () => {
    await expect(inClusterConfig({ env: {} })).rejects.toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
    const empty = await saDir({});
    await expect(inClusterConfig({ serviceAccountDir: empty, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } })).rejects.toMatchObject({
      file: join(empty, 'token'),
    });
    expect(await inClusterPossible({ serviceAccountDir: empty, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } })).toBe(false);
    const bad = await saDir({ token: 't', 'ca.crt': 'garbage' });
    await expect(inClusterConfig({ serviceAccountDir: bad, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } })).rejects.toThrow(/CA file .* is unusable/);
  });
});

describe('entry points without a kubeconfig', () => {
  test('loadConfig says what to do when nothing is configured', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kgo-home-'));
    await expect(loadConfig({ kubeconfig: '', homeDir: home, inCluster: { env: {} } })).rejects.toThrow(/no configuration has been provided .*looked at .*\.kube\/config.*set KUBECONFIG/);
  });

  test('buildConfigFromFlags: a server alone, or in-cluster', async () => {
    expect(await buildConfigFromFlags('https://10.1.1.1:6443', '')).toEqual({ host: 'https://10.1.1.1:6443' });
    const dir = await saDir({ token: 't' });
    const config = await buildConfigFromFlags('', '', { inCluster: { serviceAccountDir: dir, env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } } });
    expect(config.host).toBe('https://h:1');
    await expect(buildConfigFromFlags('', '', { inCluster: { env: {} } })).rejects.toThrow(/no configuration has been provided/);
    await expect(buildConfigFromFlags('', '/nonexistent/kc')).rejects.toMatchObject({ file: '/nonexistent/kc' });
  });
});

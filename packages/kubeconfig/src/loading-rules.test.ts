import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isMissingFile, loadKubeconfigFile } from './load-file.ts';
import { kubeconfigSources, loadKubeconfig } from './loading-rules.ts';

describe('kubeconfigSources', () => {
  test('explicit path alone', () => {
    expect(kubeconfigSources({ explicitPath: '/x', kubeconfig: '/a:/b' })).toEqual({ files: ['/x'], explicit: true });
  });
  test('KUBECONFIG: empty entries dropped, duplicates removed, order kept', () => {
    expect(kubeconfigSources({ kubeconfig: ':/b::/a:/b:' })).toEqual({ files: ['/b', '/a'], explicit: false });
  });
  test('home file otherwise', () => {
    expect(kubeconfigSources({ kubeconfig: '', homeDir: '/h' })).toEqual({ files: ['/h/.kube/config'], explicit: false });
  });
});

describe('loadKubeconfig', () => {
  test('resolves relative paths against the defining file; bare exec commands stay bare', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-rules-'));
    await mkdir(join(dir, 'sub'));
    const file = join(dir, 'sub', 'config');
    await writeFile(
      file,
      `clusters: [{name: c, cluster: {certificate-authority: ../ca.crt}}]
users:
- {name: a, user: {client-certificate: c.crt, client-key: /abs/k, tokenFile: t, exec: {command: ./bin/p, apiVersion: v}}}
- {name: b, user: {exec: {command: aws, apiVersion: v}}}
`,
    );
    const { config, files, missing } = await loadKubeconfig({ kubeconfig: `${join(dir, 'none')}:${file}` });
    expect(files).toEqual([file]);
    expect(missing).toEqual([join(dir, 'none')]);
    expect(config.clusters.get('c')?.['certificate-authority']).toBe(join(dir, 'ca.crt'));
    expect(config.users.get('a')).toMatchObject({
      'client-certificate': join(dir, 'sub', 'c.crt'),
      'client-key': '/abs/k',
      tokenFile: join(dir, 'sub', 't'),
      exec: { command: join(dir, 'sub', 'bin', 'p') },
    });
    expect(config.users.get('b')?.exec?.command).toBe('aws');
    const raw = await loadKubeconfig({ explicitPath: file, resolvePaths: false });
    expect(raw.config.users.get('a')?.tokenFile).toBe('t');
  });

  test('a missing explicit file is an error naming it; missing list files are skipped', async () => {
    await expect(loadKubeconfig({ explicitPath: '/nonexistent/kc' })).rejects.toMatchObject({ file: '/nonexistent/kc' });
    expect((await loadKubeconfig({ kubeconfig: '/nonexistent/a:/nonexistent/b' })).config.clusters.size).toBe(0);
    expect(isMissingFile(await loadKubeconfigFile('/nonexistent/a').catch((e: unknown) => e))).toBe(true);
  });
});

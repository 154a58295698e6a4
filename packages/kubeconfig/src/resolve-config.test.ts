import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { loadConfig } from './resolve-config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-resolve-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes a one-context kubeconfig whose user `dev` is `user` (YAML flow text) and loads it. */
async function load(user: string, cluster = '{server: https://127.0.0.1:6443}') {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, `current-context: x\nclusters: [{name: c, cluster: ${cluster}}]\nusers: [{name: dev, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: dev}}]\n`);
  return { file, result: loadConfig({ explicitPath: file, inCluster: false }) };
}

describe('loadConfig refuses broken users with their name and field', () => {
  test('an exec block without command', async () => {
    const { file, result } = await load('{exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}');
    const error = await result.catch((e: unknown) => e);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file, field: 'users[dev].user.exec.command' });
    expect((error as Error).message).toMatch(/user "dev" has an exec plugin without command/);
  });

  test('a token with a line break', async () => {
    const { file, result } = await load('{token: "tok-SECRET\\nX-Injected: 1"}');
    const error = await result.catch((e: unknown) => e);
    expect(error).toMatchObject({ file, field: 'users[dev].user.token' });
    expect((error as Error).message).toMatch(/the token of user "dev" contains a line break/);
    expect((error as Error).message).not.toContain('SECRET');
  });

  test('an exec env value with NUL (the value would be quoted by Node otherwise)', async () => {
    const { file, result } = await load('{exec: {command: plugin, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, env: [{name: API_KEY, value: "key\\0-SECRET"}]}}');
    const error = await result.catch((e: unknown) => e);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file, field: 'users[dev].user.exec.env[0].value' });
    expect((error as Error).message).toContain('"API_KEY"');
    expect((error as Error).message).not.toContain('SECRET');
  });

  test('an unparseable proxy-url with a password', async () => {
    const { result } = await load('{}', '{server: https://127.0.0.1:6443, proxy-url: "http://user:hun/ter2@proxy:3128"}');
    const error = await result.catch((e: unknown) => e);
    expect(error).toMatchObject({ field: 'clusters[c].cluster.proxy-url' });
    expect((error as Error).message).toMatch(/is not a URL/);
    expect((error as Error).message).not.toMatch(/hun|ter2/);
  });
});


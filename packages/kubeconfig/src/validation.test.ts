import { describe, expect, test } from 'vitest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { selectContext } from './context-selection.ts';
import { parseKubeconfig } from './parse.ts';
import { confirmUsable, validateAuthInfo, validateCluster, validateKubeconfig } from './validation.ts';

describe('validation', () => {
  test.each([
    [{ token: 'secret-t', username: 'u', password: 'secret-p' }, /more than one authentication method found for user "u" \(token and basicAuth\)/],
    [{ 'client-certificate': '/a', 'client-certificate-data': 'YQ==', 'client-key-data': 'YQ==' }, /sets both client-certificate and client-certificate-data/],
    [{ 'client-certificate-data': 'YQ==' }, /no client-key or client-key-data/],
    [{ 'client-certificate': '/nonexistent/c', 'client-key-data': 'YQ==' }, /unable to read client-certificate \/nonexistent\/c/],
    [{ 'as-groups': ['g'] }, /without impersonating a user/],
    [{ exec: { command: '', apiVersion: '', interactiveMode: 'Never' } }, /without command/],
    [{ exec: { command: 'c', apiVersion: 'client.authentication.k8s.io/v1' } }, /without interactiveMode/],
    [{ exec: { command: 'c', apiVersion: 'v', interactiveMode: 'Sometimes' } }, /invalid exec interactiveMode "Sometimes"/],
    [{ exec: { command: 'c', apiVersion: 'v', interactiveMode: 'Never' }, 'auth-provider': { name: 'oidc' } }, /both auth-provider and exec/],
  ])('user %j', async (user, pattern) => {
    const problems = await validateAuthInfo('u', user, '/k/config');
    expect(problems.map((p) => p.message).join('\n')).toMatch(pattern);
    expect(problems[0]?.file).toBe('/k/config');
    for (const p of problems) expect(p.message).not.toMatch(/secret-/);
  });

  test.each([
    [{ 'certificate-authority-data': 'YQ==' }, /no server found for cluster "c"/],
    [{ server: 'https://a', 'proxy-url': 'ftp://p' }, /invalid proxy-url "ftp:\/\/p".*http, https, or socks5/],
    [{ server: 'https://a', 'proxy-url': 'http://user:pw@p' }, null],
    [{ server: 'https://a', 'certificate-authority': '/a', 'certificate-authority-data': 'YQ==' }, /both certificate-authority and certificate-authority-data/],
    [{ server: 'https://a', 'certificate-authority': '/nonexistent/ca' }, /unable to read certificate-authority/],
  ])('cluster %j', async (cluster, pattern) => {
    const problems = (await validateCluster('c', cluster)) ?? [];
    if (pattern) expect(problems.map((p) => p.message).join('\n')).toMatch(pattern);
    else expect(problems).toEqual([]);
  });

  test('proxy-url passwords are redacted', async () => {
    const problems = (await validateCluster('c', { server: 'https://a', 'proxy-url': 'ftp://user:hunter2@p' })) ?? [];
    expect(problems[0]?.message).not.toContain('hunter2');
  });

  test('an empty cluster is "empty", not a problem list', async () => {
    expect(await validateCluster('c', {})).toBeUndefined();
    const config = parseKubeconfig('');
    expect(await confirmUsable(config, selectContext(config))).toBe('empty');
  });

  test('confirmUsable reports a dangling current-context with all other problems', async () => {
    const config = parseKubeconfig('current-context: ghost\nclusters:\n- name: c\n  cluster: {server: https://a}\n', '/k');
    const error = await confirmUsable(config, selectContext(config)).catch((e: unknown) => e);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^invalid configuration: \[context was not found for specified context: ghost.*cluster has no server defined/);
  });

  test('validateKubeconfig checks every entry, including namespace DNS labels', async () => {
    const config = parseKubeconfig('contexts:\n- name: x\n  context: {cluster: c, user: u, namespace: Bad_NS}\n', '/k');
    const messages = (await validateKubeconfig(config)).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/user "u" was not found for context "x" in \/k/),
        expect.stringMatching(/cluster "c" was not found/),
        expect.stringMatching(/namespace "Bad_NS" for context "x" does not conform to the kubernetes DNS_LABEL rules/),
      ]),
    );
  });
});

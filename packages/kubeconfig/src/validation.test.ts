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

  test.each([
    ['token with LF', { token: 'tok-SECRET\nX-Injected: 1' }, 'token', /the token of user "u" contains a line break \(CR or LF\).*its value is not shown/],
    ['token with NUL', { token: 'tok-SECRET\0' }, 'token', /the token of user "u" contains a NUL byte/],
    ['exec env value with NUL', { exec: { command: 'c', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', env: [{ name: 'API_KEY', value: 'key\0-SECRET' }] } }, 'exec.env[0].value', /user "u": the value of exec env variable "API_KEY" contains a NUL byte \(the value is not shown\); remove it/],
    ['exec argument with NUL', { exec: { command: 'c', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', args: ['--key', 'k\0-SECRET'] } }, 'exec.args[1]', /exec.args\[1\] contains a NUL byte/],
  ])('%s is refused naming the user and field, never the value', async (_name, user, field, pattern) => {
    const problems = await validateAuthInfo('u', user, '/k/config');
    const problem = problems.find((p) => p.field === `users[u].user.${field}`);
    expect(problem?.message).toMatch(pattern);
    expect(problem?.message).toContain('/k/config');
    for (const p of problems) expect(p.message).not.toMatch(/SECRET/);
  });

  test('a password with CR, LF or NUL is no problem: basic auth sends it base64-encoded, as client-go does', async () => {
    for (const password of ['pw\r', 'p\nw', 'p\0w']) expect(await validateAuthInfo('u', { username: 'u', password }, '/k/config')).toEqual([]);
  });

  test.each([
    ['a password containing /', 'http://user:hun/ter2@proxy:3128', /invalid proxy-url "http:\/\/\*\*\*@proxy:3128" for cluster "c": it is not a URL/],
    ['no scheme', 'user:hunter2@proxy:3128', /invalid proxy-url "\*\*\*@proxy:3128" for cluster "c": unsupported scheme "user"/],
    ['a bad port', 'http://user:hunter2@proxy:port', /invalid proxy-url "http:\/\/\*\*\*@proxy:port" for cluster "c": it is not a URL/],
    // No `@`: the password is where a port would be.
    ['no host', 'http://user:hunter2', /invalid proxy-url "http:\/\/\*\*\*" for cluster "c": it is not a URL/],
    ['no host, a path', 'socks5://user:hunter2/x', /invalid proxy-url "socks5:\/\/\*\*\*" for cluster "c": it is not a URL/],
  ])('a proxy-url with credentials that is not usable (%s) is reported redacted', async (_name, proxy, pattern) => {
    const problems = (await validateCluster('c', { server: 'https://a', 'proxy-url': proxy })) ?? [];
    expect(problems.map((p) => p.message).join('\n')).toMatch(pattern);
    for (const p of problems) expect(p.message).not.toMatch(/hun|ter2/);
  });
});


import { rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { RestConfig } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { flagArgs, jwt, kc, type Pki, kubectl, makeWorkspace, readPki, simple } from './__fixtures__/kubectl.ts';
import { loadConfig } from './resolve-config.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { loadKubeconfig } from './loading-rules.ts';
import type { ConfigOverrides } from './context-selection.ts';
import { flattenKubeconfig, minifyKubeconfig, toKubeconfigV1 } from './view.ts';

/*
 * The kubectl oracle: every case writes kubeconfig files into a temp folder, runs kubectl on them
 * (HOME pointed into the folder) and asserts kgo agrees:
 *  - view: `kubectl config view --minify --flatten --raw -o json` (merge, context choice, relative
 *    paths, data vs file) equals kgo's loadKubeconfig → minify → flatten, or both refuse;
 *  - use: `kubectl get --raw` against an unreachable server either gets as far as connecting
 *    (config accepted) or refuses the config; kgo's loadConfig (+ one credential fetch, as kubectl
 *    runs plugins per request) accepts and refuses the same cases, and its RestConfig carries the
 *    cluster, user and TLS data kubectl's flattened view holds (after the override rules);
 *  - no kgo error contains a secret.
 */

type Flags = ConfigOverrides;

interface OracleCase {
  name: string;
  /** Files to write, relative to the workspace; `@CA@`, `@CERT@`, `@KEY@`, `@OTHERKEY@` become base64 PEM, `@DIR@` the workspace. */
  files: Record<string, string>;
  /** KUBECONFIG entries relative to the workspace (made absolute); '' entries kept as empty. */
  kubeconfig?: string[];
  /** --kubeconfig, relative to the workspace. */
  explicit?: string;
  flags?: Flags;
  /** Executable files (mode 0755). */
  executables?: string[];
  /** When kgo refuses, the error's file must end with this (relative to the workspace). */
  errorFile?: string;
  /** Where kgo deliberately differs from kubectl's `use` outcome, and why (see the README). */
  differs?: { kgo: 'connect' | 'refused' | 'no-config'; why: string };
}

const SECRETS = ['tok-secret', 'pw-secret', 'exec-secret-token', 'file-secret-token', 'eyJ'];

const server = 'https://127.0.0.1:1';
const caData = { server, 'certificate-authority-data': '@CA@' };
const execScript = (version: string, status: string) => `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/${version}","kind":"ExecCredential","status":${status}}'\n`;

const cases: OracleCase[] = [
  { name: 'token user, CA data', files: { config: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  { name: 'CA file relative to the kubeconfig', files: { config: simple({ server, 'certificate-authority': 'pki/ca.crt' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  {
    name: 'relative paths in nested folders',
    files: {
      'a/b/config': simple({ server, 'certificate-authority': '../../pki/ca.crt' }, { 'client-certificate': 'certs/client.crt', 'client-key': './certs/client.key' }),
      'a/b/certs/client.crt': '@CERTPEM@',
      'a/b/certs/client.key': '@KEYPEM@',
    },
    kubeconfig: ['a/b/config'],
  },
  { name: 'client certificate data', files: { config: simple(caData, { 'client-certificate-data': '@CERT@', 'client-key-data': '@KEY@' }) }, kubeconfig: ['config'] },
  { name: 'basic auth', files: { config: simple(caData, { username: 'bob', password: 'pw-secret' }) }, kubeconfig: ['config'] },
  { name: 'tokenFile relative', files: { config: simple(caData, { tokenFile: 'secrets/token' }), 'secrets/token': 'file-secret-token\n' }, kubeconfig: ['config'] },
  { name: 'tokenFile missing', files: { config: simple(caData, { tokenFile: 'secrets/none' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'token and a readable tokenFile: the file wins', files: { config: simple(caData, { token: 'tok-secret-2', tokenFile: 'secrets/token' }), 'secrets/token': 'file-secret-token' }, kubeconfig: ['config'] },
  { name: 'token and basic auth', files: { config: simple(caData, { token: 'tok-secret-1', username: 'u', password: 'pw-secret' }) }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'client certificate file and data',
    files: { config: simple(caData, { 'client-certificate': 'pki/client.crt', 'client-certificate-data': '@CERT@', 'client-key-data': '@KEY@' }) },
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  { name: 'CA file and data', files: { config: simple({ ...caData, 'certificate-authority': 'pki/ca.crt' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'CA file missing', files: { config: simple({ server, 'certificate-authority': 'nope/ca.crt' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'client certificate without key', files: { config: simple(caData, { 'client-certificate-data': '@CERT@' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'client key does not match', files: { config: simple(caData, { 'client-certificate-data': '@CERT@', 'client-key-data': '@OTHERKEY@' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'CA data is not PEM', files: { config: simple({ server, 'certificate-authority-data': 'bm90IGEgY2VydA==' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'merge: first file wins the whole cluster entry',
    files: {
      a: kc({ current: 'ctx', clusters: { c1: { server: 'https://127.0.0.1:1/first' } }, contexts: { ctx: { cluster: 'c1', user: 'u1' } } }),
      b: kc({ clusters: { c1: { ...caData, 'tls-server-name': 'second' } }, users: { u1: { token: 'tok-secret-b' } } }),
    },
    kubeconfig: ['a', 'b'],
  },
  {
    name: 'merge: current-context from the first file that sets it',
    files: {
      a: kc({ clusters: { c1: caData }, users: { u1: { token: 'tok-secret-a' } }, contexts: { one: { cluster: 'c1', user: 'u1' }, two: { cluster: 'c2', user: 'u1', namespace: 'n2' } } }),
      b: kc({ current: 'two', clusters: { c2: { server: 'https://127.0.0.1:1/two', 'insecure-skip-tls-verify': true } } }),
      c: kc({ current: 'one' }),
    },
    kubeconfig: ['a', 'b', 'c'],
  },
  {
    name: 'merge: same user in two files, first wins',
    files: { a: simple(caData, { token: 'tok-secret-a' }), b: kc({ users: { u1: { username: 'x', password: 'pw-secret' } }, current: 'other' }) },
    kubeconfig: ['b', 'a'],
  },
  {
    name: 'duplicate name inside one file',
    files: { config: `apiVersion: v1\nkind: Config\ncurrent-context: ctx\nclusters:\n- name: c1\n  cluster: {server: ${server}}\n- name: c1\n  cluster: {server: https://127.0.0.1:2}\ncontexts:\n- name: ctx\n  context: {cluster: c1}\n` },
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  { name: 'missing file in KUBECONFIG skipped', files: { b: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['missing', 'b'] },
  { name: 'all KUBECONFIG files missing', files: {}, kubeconfig: ['missing1', 'missing2'] },
  { name: 'empty and duplicate KUBECONFIG entries', files: { a: simple(caData, { token: 'tok-secret-1' }), b: kc({ current: 'nope' }) }, kubeconfig: ['', 'a', '', 'a', 'b'] },
  { name: 'empty file first in the list', files: { empty: '', b: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['empty', 'b'] },
  { name: '~/.kube/config by default', files: { 'home/.kube/config': simple({ server, 'certificate-authority': 'ca.crt' }, { token: 'tok-secret-1' }), 'home/.kube/ca.crt': '@CAPEM@' } },
  {
    name: 'explicit --kubeconfig ignores KUBECONFIG',
    files: { env: simple({ server: 'https://127.0.0.1:1/env' }, { token: 'tok-secret-env' }), explicit: simple(caData, { token: 'tok-secret-1' }) },
    kubeconfig: ['env'],
    explicit: 'explicit',
  },
  { name: 'explicit --kubeconfig missing', files: {}, explicit: 'nope.yaml', errorFile: 'nope.yaml' },
  {
    name: '--context override',
    files: { config: kc({ current: 'a', clusters: { c1: caData, c2: { server: 'https://127.0.0.1:1/c2' } }, users: { u1: { token: 'tok-secret-1' } }, contexts: { a: { cluster: 'c1', user: 'u1' }, b: { cluster: 'c2', user: 'u1', namespace: 'nb' } } }) },
    kubeconfig: ['config'],
    flags: { context: 'b' },
  },
  { name: '--context that does not exist', files: { config: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { context: 'nope' } },
  {
    name: '--cluster and --user overrides',
    files: { config: kc({ current: 'ctx', clusters: { c1: caData, c2: { server: 'https://[::1]:1', 'certificate-authority-data': '@CA@' } }, users: { u1: { token: 'tok-secret-1' }, u2: { username: 'bob', password: 'pw-secret' } }, contexts: { ctx: { cluster: 'c1', user: 'u1' } } }) },
    kubeconfig: ['config'],
    flags: { cluster: 'c2', user: 'u2' },
  },
  { name: '--cluster that does not exist', files: { config: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { cluster: 'nope' } },
  { name: '--user that does not exist', files: { config: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { user: 'nope' } },
  { name: '--namespace override', files: { config: simple(caData, { token: 'tok-secret-1' }, { namespace: 'fromctx' }) }, kubeconfig: ['config'], flags: { namespace: 'override' } },
  { name: '--server clears tls-server-name', files: { config: simple({ ...caData, 'tls-server-name': 'kgo.test' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { server: 'https://127.0.0.1:2/x' } },
  { name: '--tls-server-name override', files: { config: simple({ ...caData, 'tls-server-name': 'a.test' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { tlsServerName: 'b.test' } },
  { name: '--insecure-skip-tls-verify drops the CA', files: { config: simple(caData, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], flags: { insecureSkipTlsVerify: true } },
  { name: 'insecure together with a CA', files: { config: simple({ ...caData, 'insecure-skip-tls-verify': true }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'dangling user reference', files: { config: kc({ current: 'ctx', clusters: { c1: caData }, contexts: { ctx: { cluster: 'c1', user: 'ghost' } } }) }, kubeconfig: ['config'] },
  { name: 'dangling cluster reference', files: { config: kc({ current: 'ctx', users: { u1: { token: 'tok-secret-1' } }, contexts: { ctx: { cluster: 'ghost', user: 'u1' } } }) }, kubeconfig: ['config'] },
  { name: 'dangling current-context', files: { config: kc({ current: 'ghost', clusters: { c1: caData }, contexts: { ctx: { cluster: 'c1' } } }) }, kubeconfig: ['config'] },
  { name: 'malformed YAML', files: { config: 'apiVersion: v1\nclusters:\n  - name: c1\n   cluster: {server: x\n' }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'malformed YAML in the second file', files: { a: simple(caData, { token: 'tok-secret-1' }), b: 'users: [unclosed\n' }, kubeconfig: ['a', 'b'], errorFile: 'b' },
  { name: 'number where a string belongs', files: { config: simple({ server: 6443 }, {}) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'YAML 1.1 boolean', files: { config: simple({ server, 'insecure-skip-tls-verify': 'yes' }, {}).replace("'yes'", 'yes') }, kubeconfig: ['config'] },
  { name: 'invalid base64 data', files: { config: simple({ server, 'certificate-authority-data': 'not base64!' }, {}) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'not a Config', files: { config: 'apiVersion: v1\nkind: Pod\n' }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'exec v1beta1 plugin (relative command)',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/plugin', args: ['get-token'], env: [{ name: 'A', value: 'b' }] } }), 'bin/plugin': execScript('v1beta1', '{"token":"exec-secret-token"}') },
    executables: ['bin/plugin'],
    kubeconfig: ['config'],
  },
  {
    name: 'exec v1 plugin with interactiveMode Never',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin', interactiveMode: 'Never', provideClusterInfo: true } }), plugin: execScript('v1', '{"token":"exec-secret-token"}') },
    executables: ['plugin'],
    kubeconfig: ['config'],
  },
  { name: 'exec v1 without interactiveMode', files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' } }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'exec with unsupported apiVersion', files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v2', command: 'true', interactiveMode: 'Never' } }) }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'exec binary not installed',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kgo-no-such-plugin', interactiveMode: 'Never', installHint: 'install kgo-no-such-plugin from example.test' } }) },
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  {
    name: 'exec plugin exits non-zero',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './fail', interactiveMode: 'Never' } }), fail: '#!/bin/sh\nexit 3\n' },
    executables: ['fail'],
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  {
    name: 'exec plugin returns the wrong apiVersion',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin', interactiveMode: 'Never' } }), plugin: execScript('v1beta1', '{"token":"exec-secret-token"}') },
    executables: ['plugin'],
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  {
    name: 'exec and auth-provider together',
    files: { config: simple(caData, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'true' }, 'auth-provider': { name: 'oidc', config: { 'client-id': 'x', 'idp-issuer-url': 'https://127.0.0.1:1' } } }) },
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  {
    name: 'oidc with a valid id-token',
    files: { config: simple(caData, { 'auth-provider': { name: 'oidc', config: { 'client-id': 'kgo', 'idp-issuer-url': 'https://127.0.0.1:1', 'id-token': jwt(4102444800) } } }) },
    kubeconfig: ['config'],
  },
  {
    name: 'oidc with an expired id-token and no refresh-token',
    files: { config: simple(caData, { 'auth-provider': { name: 'oidc', config: { 'client-id': 'kgo', 'idp-issuer-url': 'https://127.0.0.1:1', 'id-token': jwt(1000) } } }) },
    kubeconfig: ['config'],
    errorFile: 'config',
  },
  { name: 'removed gcp auth-provider', files: { config: simple(caData, { 'auth-provider': { name: 'gcp' } }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'IPv6 server', files: { config: simple({ server: 'https://[::1]:1', 'certificate-authority-data': '@CA@' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  { name: 'path-prefixed server', files: { config: simple({ server: 'https://127.0.0.1:1/k8s/clusters/c-1', 'certificate-authority-data': '@CA@' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  { name: 'http server: no credentials, no TLS', files: { config: simple({ server: 'http://127.0.0.1:1', 'certificate-authority': 'nope.crt2' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'http server with token', files: { config: simple({ server: 'http://127.0.0.1:1' }, { token: 'tok-secret-1', 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' }) }, kubeconfig: ['config'] },
  { name: 'proxy-url socks5 and disable-compression', files: { config: simple({ ...caData, 'proxy-url': 'socks5://127.0.0.1:1', 'disable-compression': true }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  { name: 'proxy-url with an unsupported scheme', files: { config: simple({ ...caData, 'proxy-url': 'ftp://127.0.0.1:1' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'impersonation',
    files: { config: simple(caData, { token: 'tok-secret-1', as: 'jane', 'as-uid': '42', 'as-groups': ['a', 'b'], 'as-user-extra': { 'scopes.example/x': ['1', '2'] } }) },
    kubeconfig: ['config'],
  },
  { name: 'impersonation groups without a user', files: { config: simple(caData, { token: 'tok-secret-1', 'as-groups': ['a'] }) }, kubeconfig: ['config'], errorFile: 'config' },
  { name: 'context namespace that is not a DNS label', files: { config: simple(caData, { token: 'tok-secret-1' }, { namespace: 'Not_A_Label' }) }, kubeconfig: ['config'] },
  { name: 'server without scheme', files: { config: simple({ server: '127.0.0.1:1' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'] },
  { name: 'cluster without server', files: { config: simple({ 'certificate-authority-data': '@CA@' }, { token: 'tok-secret-1' }) }, kubeconfig: ['config'], errorFile: 'config' },
  {
    name: 'empty tokenFile',
    files: { config: simple(caData, { tokenFile: 'empty-token' }), 'empty-token': '' },
    kubeconfig: ['config'],
    errorFile: 'config',
    differs: { kgo: 'refused', why: 'kubectl prompts for a username; client-go the library (non-interactive) fails with "read empty token from file"' },
  },
];

/*
 * connect: the config was accepted and a connection attempted. no-config: kubectl fell back to its
 * CLI default server (localhost:8080) where client-go the library, and kgo, report "no
 * configuration". kubectl's interactive username prompt (no credentials, https) counts as connect:
 * kgo, a library, never prompts and goes on anonymously, like client-go's non-interactive loader.
 */
type Outcome = 'connect' | 'refused' | 'no-config';

function classifyKubectl(result: { code: number; stdout: string; stderr: string }): Outcome {
  if (result.code === 0) return 'connect';
  if (/localhost:8080/.test(result.stderr)) return 'no-config';
  if (/getting credentials|id-token/.test(result.stderr)) return 'refused';
  if (/Please enter Username/.test(result.stdout)) return 'connect';
  if (/refused|dial tcp|Unable to connect|no such host|proxyconnect|socks connect/.test(result.stderr)) return 'connect';
  return 'refused';
}

/** Drops what Go's JSON printer omits or prints as zero (null, false, '', [], {}), recursively. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const v = normalize(item);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (value === null || value === false || value === '' || value === undefined) return undefined;
  return value;
}

type View = {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: Record<string, string> }[];
};

/** What RestConfig kubectl's flattened view implies for this selection (the override rules of the spec). */
function expectedRestConfig(view: View, flags: Flags): { config: Record<string, unknown>; namespace: string } {
  const find = <T extends { name: string }>(list: T[] | undefined, name: string | undefined) => list?.find((e) => e.name === name);
  const ctx = find(view.contexts, flags.context || view['current-context'])?.context ?? {};
  const cluster = { ...find(view.clusters, flags.cluster || ctx.cluster)?.cluster } as Record<string, string | boolean | undefined>;
  const user = (find(view.users, flags.user || ctx.user)?.user ?? {}) as Record<string, unknown>;
  if (flags.server) cluster.server = flags.server;
  if (flags.insecureSkipTlsVerify) {
    cluster['insecure-skip-tls-verify'] = true;
    delete cluster['certificate-authority-data'];
  }
  if (flags.server || flags.tlsServerName) cluster['tls-server-name'] = flags.tlsServerName;
  const pem = (b64: unknown) => (typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : undefined);
  let host = String(cluster.server);
  if (!/^https?:\/\//.test(host)) host = `http://${host}`;
  const config: Record<string, unknown> = {
    host,
    proxyUrl: cluster['proxy-url'],
    disableCompression: cluster['disable-compression'],
    impersonate: user.as ? { userName: user.as, uid: user['as-uid'], groups: user['as-groups'], extra: user['as-user-extra'] } : undefined,
  };
  if (host.startsWith('https://')) {
    Object.assign(config, {
      // client-go's rest.Config keeps both; which one is sent (the file's while it is readable) is
      // checked on the wire in kubectl-wire-oracle.test.ts.
      bearerToken: user.token,
      bearerTokenFile: user.tokenFile,
      // Basic auth needs a user name (client-go's HasBasicAuth).
      username: user.username,
      password: user.username ? user.password : undefined,
      tls: {
        caData: pem(cluster['certificate-authority-data']),
        certData: pem(user['client-certificate-data']),
        keyData: pem(user['client-key-data']),
        insecure: cluster['insecure-skip-tls-verify'],
        serverName: cluster['tls-server-name'],
      },
    });
  }
  return { config: normalize(config) as Record<string, unknown>, namespace: flags.namespace || ctx.namespace || 'default' };
}

let pki: Pki;
const workspaces: string[] = [];

beforeAll(async () => {
  pki = await readPki();
});
afterAll(async () => {
  await Promise.all(workspaces.map((dir) => rm(dir, { recursive: true, force: true })));
});

function secretsOf(): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const bodies = [pki.ca, pki.cert, pki.key, pki.otherKey].map((pem) => pem.split('\n')[1]!);
  return [...SECRETS, ...bodies, ...[pki.ca, pki.cert, pki.key].map((pem) => b64(pem).slice(10, 40))];
}

function assertSafeError(error: unknown, dir: string, c: OracleCase): void {
  expect(KubeconfigError.isInstance(error), `${String(error)}`).toBe(true);
  const e = error as KubeconfigError;
  for (const secret of secretsOf()) expect(e.message).not.toContain(secret);
  expect(e.message).not.toMatch(/BEGIN [A-Z ]*(KEY|CERTIFICATE)/);
  if (c.errorFile) {
    expect(e.file, e.message).toBeDefined();
    expect(e.file!.endsWith(c.errorFile), `${e.file} should end with ${c.errorFile}`).toBe(true);
    expect(e.message).toContain(c.errorFile.split('/').pop());
  }
  void dir;
}

describe('kubectl oracle', () => {
  test('the corpus is large enough', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  test.concurrent.each(cases)('$name', async (c) => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries(c.files)) {
      files[name] = text
        .replaceAll('@CAPEM@', pki.ca)
        .replaceAll('@CERTPEM@', pki.cert)
        .replaceAll('@KEYPEM@', pki.key)
        .replaceAll('@CA@', b64(pki.ca))
        .replaceAll('@CERT@', b64(pki.cert))
        .replaceAll('@KEY@', b64(pki.key))
        .replaceAll('@OTHERKEY@', b64(pki.otherKey));
    }
    const modes = Object.fromEntries((c.executables ?? []).map((name) => [name, 0o755]));
    const dir = await makeWorkspace(files, modes);
    workspaces.push(dir);
    const home = join(dir, 'home');
    const env: Record<string, string> = { HOME: home };
    const kubeconfigEnv = c.kubeconfig?.map((entry) => (entry ? join(dir, entry) : '')).join(delimiter);
    if (kubeconfigEnv !== undefined) env.KUBECONFIG = kubeconfigEnv;
    const explicitPath = c.explicit ? join(dir, c.explicit) : undefined;
    const pathArgs = explicitPath ? [`--kubeconfig=${explicitPath}`] : [];
    const flags = c.flags ?? {};
    const rules = { explicitPath, kubeconfig: kubeconfigEnv, homeDir: home };
    const viewRules = { ...rules, resolvePaths: false };

    // view: merge + context choice + minify + flatten
    const view = await kubectl(['config', 'view', '--minify', '--flatten', '--raw', '-o', 'json', ...pathArgs, ...flagArgs(flags)], env, dir);
    let kgoView: unknown;
    let kgoViewError: unknown;
    try {
      const { config } = await loadKubeconfig(viewRules);
      kgoView = toKubeconfigV1(await flattenKubeconfig(minifyKubeconfig(config, flags.context)));
    } catch (error) {
      kgoViewError = error;
    }
    if (view.code === 0) {
      expect(kgoViewError, `kubectl printed a view, kgo refused: ${String(kgoViewError)}`).toBeUndefined();
      expect(normalize(kgoView)).toEqual(normalize(JSON.parse(view.stdout)));
    } else {
      expect(kgoViewError, `kubectl refused the view (${view.stderr.trim()}), kgo did not`).toBeDefined();
      assertSafeError(kgoViewError, dir, { ...c, errorFile: undefined });
    }

    // use: what a request would be sent with
    const use = await kubectl(['get', '--raw', '/version', '--request-timeout=5s', ...pathArgs, ...flagArgs(flags)], env, dir);
    const kubectlOutcome = classifyKubectl(use);
    let kgoOutcome: Outcome = 'connect';
    let resolved: { config: RestConfig; namespace: string } | undefined;
    let kgoError: unknown;
    try {
      resolved = await loadConfig({ ...rules, overrides: flags, inCluster: false, env: { PATH: process.env.PATH }, stdinIsTerminal: false });
      await resolved.config.credentialProvider?.getCredentials();
    } catch (error) {
      kgoError = error;
      kgoOutcome = /no configuration has been provided|no server found for cluster/.test(String(error)) ? 'no-config' : 'refused';
    }
    if (c.differs) {
      expect(kubectlOutcome, 'kubectl no longer differs: drop `differs`').not.toBe(c.differs.kgo);
      expect(kgoOutcome, String(kgoError)).toBe(c.differs.kgo);
    } else {
      expect(kgoOutcome, `kubectl: ${use.stderr.trim()} | kgo: ${String(kgoError)}`).toBe(kubectlOutcome);
    }
    if (kgoError) assertSafeError(kgoError, dir, c);
    if (kgoOutcome !== 'connect' || !resolved) return;

    // values: kubectl's flattened (un-minified, so overrides can pick any entry) view vs kgo's RestConfig
    const full = await kubectl(['config', 'view', '--flatten', '--raw', '-o', 'json', ...pathArgs, `--context=${flags.context ?? ''}`], env, dir);
    if (full.code !== 0) return;
    const expected = expectedRestConfig(JSON.parse(full.stdout) as View, flags);
    const { credentialProvider: _provider, ...rest } = resolved.config;
    // kubectl prints tokenFile as written; kgo resolves it against the kubeconfig's folder.
    const tokenFile = expected.config.bearerTokenFile;
    if (typeof tokenFile === 'string' && !tokenFile.startsWith('/')) {
      expect(rest.bearerTokenFile?.endsWith(`/${tokenFile}`)).toBe(true);
      expected.config.bearerTokenFile = rest.bearerTokenFile;
    }
    expect(normalize(rest)).toEqual(expected.config);
    expect(resolved.namespace).toBe(expected.namespace);
  });
});

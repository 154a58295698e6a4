import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCluster } from '@kgo/envtest/vitest';
import { RestClient, type RestConfig, isUnauthorized } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { jwt, kubectl } from './__fixtures__/kubectl.ts';
import { ExecCredentialError } from './errors/exec-credential-error.ts';
import { OidcCredentialError } from './errors/oidc-credential-error.ts';
import { loadConfig } from './resolve-config.ts';
import { inClusterConfig } from './in-cluster.ts';

/*
 * Against a real kube-apiserver: an exec plugin (a node script driven by a plan file, counting its
 * runs) hands out a token, then a client certificate, expiring and refreshing credentials; kgo's
 * SelfSubjectReview and `kubectl auth whoami` must agree on who the user is.
 */

interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
}

type PlanStep = { token?: string; clientCertificateData?: string; clientKeyData?: string; expiresInMs?: number };

let dir: string;
let plugin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-kubeconfig-envtest-'));
  plugin = join(dir, 'plugin.mjs');
  // A plan of responses; run N prints step N (or the last), records KUBERNETES_EXEC_INFO and counts.
  await writeFile(
    plugin,
    `#!${process.execPath}
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const base = process.env.KGO_PLAN;
const count = existsSync(base + '.count') ? Number(readFileSync(base + '.count', 'utf8')) : 0;
writeFileSync(base + '.count', String(count + 1));
writeFileSync(base + '.info-' + count, process.env.KUBERNETES_EXEC_INFO ?? '');
const plan = JSON.parse(readFileSync(base, 'utf8'));
const step = plan[Math.min(count, plan.length - 1)];
const status = { ...step };
delete status.expiresInMs;
if (step.expiresInMs !== undefined) status.expirationTimestamp = new Date(Date.now() + step.expiresInMs).toISOString().replace(/\\.\\d+Z$/, 'Z');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
`,
    { mode: 0o755 },
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
/** A kubeconfig whose user runs the plugin with its own plan; returns paths for assertions. */
async function execKubeconfig(plan: PlanStep[], extra: { provideClusterInfo?: boolean } = {}) {
  const cluster = testCluster();
  const id = `case-${seq++}`;
  const planFile = join(dir, `${id}.plan.json`);
  await writeFile(planFile, JSON.stringify(plan));
  const kubeconfig = join(dir, `${id}.kubeconfig`);
  await writeFile(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'envtest',
      clusters: [
        {
          name: 'envtest',
          cluster: {
            server: cluster.server,
            'certificate-authority-data': Buffer.from(cluster.caCert).toString('base64'),
            extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kgo' } }],
          },
        },
      ],
      users: [
        {
          name: 'exec-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: plugin,
              env: [{ name: 'KGO_PLAN', value: planFile }],
              interactiveMode: 'Never',
              provideClusterInfo: extra.provideClusterInfo ?? false,
            },
          },
        },
      ],
      contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'exec-user' } }],
    }),
  );
  const runs = async () => Number(await readFile(`${planFile}.count`, 'utf8').catch(() => '0'));
  const info = async (run: number) => JSON.parse(await readFile(`${planFile}.info-${run}`, 'utf8')) as { spec: { interactive: boolean; cluster?: Record<string, unknown> } };
  return { kubeconfig, runs, info };
}

async function whoAmI(config: RestConfig): Promise<UserInfo> {
  const result = await new RestClient(config)
    .post()
    .absPath('/apis/authentication.k8s.io/v1/selfsubjectreviews')
    .body({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })
    .do();
  return result.into<{ status: { userInfo: UserInfo } }>().status.userInfo;
}

async function kubectlWhoAmI(kubeconfig: string): Promise<UserInfo> {
  const out = await kubectl(['auth', 'whoami', '-o', 'json', `--kubeconfig=${kubeconfig}`], { HOME: dir }, dir);
  expect(out.code, out.stderr).toBe(0);
  return (JSON.parse(out.stdout) as { status: { userInfo: UserInfo } }).status.userInfo;
}

const sortGroups = (user: UserInfo) => ({ ...user, groups: [...(user.groups ?? [])].sort() });

describe('exec credential plugin against envtest', () => {
  test('a token from the plugin: kgo and kubectl agree on the user', async () => {
    const cluster = testCluster();
    const { kubeconfig, runs } = await execKubeconfig([{ token: cluster.user!.token }]);
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const kgo = await whoAmI(config);
    expect(kgo.username).toBe(cluster.user!.name);
    expect(sortGroups(kgo)).toEqual(sortGroups(await kubectlWhoAmI(kubeconfig)));
    await whoAmI(config);
    // kubectl ran the plugin once, kgo once: the second kgo request used the cache.
    expect(await runs()).toBe(2);
  });

  test('a client certificate from the plugin', async () => {
    const cluster = testCluster();
    const { kubeconfig } = await execKubeconfig([{ clientCertificateData: cluster.admin.cert!, clientKeyData: cluster.admin.key! }]);
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const kgo = await whoAmI(config);
    expect(kgo.username).toBe('kgo-admin');
    expect(kgo.groups).toContain('system:masters');
    expect(sortGroups(kgo)).toEqual(sortGroups(await kubectlWhoAmI(kubeconfig)));
  });

  test('token, then certificate: expiry makes the next request run the plugin again', async () => {
    const cluster = testCluster();
    const { kubeconfig, runs } = await execKubeconfig([
      { token: cluster.user!.token, expiresInMs: 1500 },
      { clientCertificateData: cluster.admin.cert!, clientKeyData: cluster.admin.key! },
    ]);
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    expect((await whoAmI(config)).username).toBe(cluster.user!.name);
    expect((await whoAmI(config)).username).toBe(cluster.user!.name);
    expect(await runs()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await whoAmI(config)).username).toBe('kgo-admin');
    expect(await runs()).toBe(2);
  });

  test('a 401 is returned, and the next request runs the plugin again', async () => {
    const cluster = testCluster();
    const { kubeconfig, runs } = await execKubeconfig([{ token: 'not-a-valid-token' }, { token: cluster.user!.token }]);
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const error = await whoAmI(config).catch((e: unknown) => e);
    expect(isUnauthorized(error)).toBe(true);
    expect((await whoAmI(config)).username).toBe(cluster.user!.name);
    expect(await runs()).toBe(2);
  });

  test('concurrent requests share one plugin run', async () => {
    const cluster = testCluster();
    const { kubeconfig, runs } = await execKubeconfig([{ token: cluster.user!.token }]);
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const users = await Promise.all(Array.from({ length: 6 }, () => whoAmI(config)));
    expect(new Set(users.map((u) => u.username))).toEqual(new Set([cluster.user!.name]));
    expect(await runs()).toBe(1);
  });

  test('two clients keep their own credentials (cache per provider, not per user name)', async () => {
    const cluster = testCluster();
    const tokenCase = await execKubeconfig([{ token: cluster.user!.token }]);
    const certCase = await execKubeconfig([{ clientCertificateData: cluster.admin.cert!, clientKeyData: cluster.admin.key! }]);
    // Same user name ("exec-user") and cluster in both kubeconfigs.
    const a = (await loadConfig({ explicitPath: tokenCase.kubeconfig, inCluster: false })).config;
    const b = (await loadConfig({ explicitPath: certCase.kubeconfig, inCluster: false })).config;
    expect((await whoAmI(a)).username).toBe(cluster.user!.name);
    expect((await whoAmI(b)).username).toBe('kgo-admin');
    expect((await whoAmI(a)).username).toBe(cluster.user!.name);
  });

  test('KUBERNETES_EXEC_INFO carries the cluster when provideClusterInfo is set', async () => {
    const cluster = testCluster();
    const { kubeconfig, info } = await execKubeconfig([{ token: cluster.user!.token }], { provideClusterInfo: true });
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    await whoAmI(config);
    const spec = (await info(0)).spec;
    expect(spec.interactive).toBe(false);
    expect(spec.cluster).toEqual({
      server: cluster.server,
      'certificate-authority-data': Buffer.from(cluster.caCert).toString('base64'),
      config: { audience: 'kgo' },
    });
  });
});

/** A kubeconfig for the test cluster whose only user is `user`. */
async function userKubeconfig(name: string, user: Record<string, unknown>): Promise<string> {
  const cluster = testCluster();
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  await writeFile(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'x',
      clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority-data': Buffer.from(cluster.caCert).toString('base64') } }],
      users: [{ name, user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: name } }],
    }),
  );
  return kubeconfig;
}

/*
 * The error a RestClient call ends with when credentials cannot be had: the provider's own kgo
 * error, unchanged (@kgo/rest passes a KgoError from a CredentialProvider through), so its
 * top-level message reads as a credential failure, as kubectl's does.
 */
describe('credential failures reach the caller of a RestClient call as credential failures', () => {
  test('an exec plugin that is not installed: "not found", with the install hint', async () => {
    const kubeconfig = await userKubeconfig('missing-plugin', {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'kgo-not-installed-plugin',
        interactiveMode: 'Never',
        installHint: 'Install it with: brew install kgo-not-installed-plugin',
      },
    });
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false, stdinIsTerminal: false });
    const error = await new RestClient(config).get().absPath('/version').do().catch((e: unknown) => e);
    expect(ExecCredentialError.isInstance(error), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe(`getting credentials: exec: executable kgo-not-installed-plugin not found (user "missing-plugin" in ${kubeconfig})`);
    expect(message).toContain('It looks like you are trying to use a client-go credential plugin that is not installed.');
    expect(message.endsWith('\n\nInstall it with: brew install kgo-not-installed-plugin')).toBe(true);
    expect(message).not.toMatch(/ENOENT|spawn/);
  });

  test('an OIDC issuer refusing the connection is named, not the API server', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const expired = jwt(Math.floor(Date.now() / 1000) - 3600);
    const kubeconfig = await userKubeconfig('oidc-user', {
      'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': `http://127.0.0.1:${port}`, 'client-id': 'kgo', 'id-token': expired, 'refresh-token': 'r' } },
    });
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const error = await new RestClient(config).get().absPath('/version').do().catch((e: unknown) => e);
    expect(OidcCredentialError.isInstance(error), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toBe(
      `getting credentials: oidc: cannot reach the issuer's discovery document http://127.0.0.1:${port}/.well-known/openid-configuration: ` +
        `connection refused: is the OIDC issuer running at 127.0.0.1:${port}? (user "oidc-user" in ${kubeconfig})`,
    );
    expect(message).not.toMatch(/API server/);
    expect(message).not.toContain(new URL(testCluster().server).host);
  });
});

describe('static kubeconfig users against envtest', () => {
  test('impersonation: kgo and kubectl see the same impersonated user', async () => {
    const cluster = testCluster();
    const kubeconfig = await userKubeconfig('admin', {
      'client-certificate-data': Buffer.from(cluster.admin.cert!).toString('base64'),
      'client-key-data': Buffer.from(cluster.admin.key!).toString('base64'),
      as: 'jane',
      'as-groups': ['team-a', 'team-b'],
    });
    const { config } = await loadConfig({ explicitPath: kubeconfig, inCluster: false });
    const kgo = await whoAmI(config);
    expect(kgo.username).toBe('jane');
    expect(kgo.groups).toEqual(expect.arrayContaining(['team-a', 'team-b']));
    expect(sortGroups(kgo)).toEqual(sortGroups(await kubectlWhoAmI(kubeconfig)));
  });

  test("envtest's own token-user kubeconfig", async () => {
    const cluster = testCluster();
    const { config } = await loadConfig({ explicitPath: cluster.user!.kubeconfig, inCluster: false });
    const kgo = await whoAmI(config);
    expect(sortGroups(kgo)).toEqual(sortGroups(await kubectlWhoAmI(cluster.user!.kubeconfig)));
  });
});

describe('in-cluster config against envtest', () => {
  async function serviceAccountDir(namespace?: string) {
    const cluster = testCluster();
    const sa = join(dir, `sa-${seq++}`);
    await mkdir(sa);
    await writeFile(join(sa, 'token'), `${cluster.user!.token}\n`);
    await writeFile(join(sa, 'ca.crt'), cluster.caCert);
    if (namespace) await writeFile(join(sa, 'namespace'), namespace);
    const url = new URL(cluster.server);
    return { sa, env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port } };
  }

  test('a fake service-account folder and env vars reach the server', async () => {
    const { sa, env } = await serviceAccountDir('team-ns');
    const { config, namespace } = await inClusterConfig({ serviceAccountDir: sa, env });
    expect(namespace).toBe('team-ns');
    expect((await whoAmI(config)).username).toBe(testCluster().user!.name);
  });

  test('loadConfig falls back to in-cluster when no kubeconfig exists', async () => {
    const { sa, env } = await serviceAccountDir();
    const home = join(dir, 'empty-home');
    await mkdir(home, { recursive: true });
    const resolved = await loadConfig({ kubeconfig: '', homeDir: home, inCluster: { serviceAccountDir: sa, env: { ...env, POD_NAMESPACE: 'from-env' } } });
    expect(resolved.source).toBe('in-cluster');
    expect(resolved.namespace).toBe('from-env');
    expect((await whoAmI(resolved.config)).username).toBe(testCluster().user!.name);
  });
});

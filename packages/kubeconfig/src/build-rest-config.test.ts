import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseKubeconfig } from './parse.ts';
import { selectContext } from './context-selection.ts';
import { buildRestConfig } from './build-rest-config.ts';

const pki = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'pki');
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function build(cluster: string, user: string) {
  const config = parseKubeconfig(`current-context: x
clusters: [{name: c, cluster: ${cluster}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`, '/k/config');
  return buildRestConfig(selectContext(config));
}

describe('buildRestConfig', () => {
  test('maps every field for https servers', async () => {
    const ca = await readFile(join(pki, 'ca.crt'), 'utf8');
    const cert = await readFile(join(pki, 'client.crt'), 'utf8');
    const key = await readFile(join(pki, 'client.key'), 'utf8');
    const config = await build(
      `{server: https://a, certificate-authority-data: ${b64(ca)}, tls-server-name: sni, proxy-url: http://p:3128, disable-compression: true}`,
      `{token: t, client-certificate-data: ${b64(cert)}, client-key-data: ${b64(key)}, as: jane, as-uid: "1", as-groups: [g1, g2], as-user-extra: {k: [v]}}`,
    );
    expect(config).toEqual({
      host: 'https://a',
      proxyUrl: 'http://p:3128',
      disableCompression: true,
      bearerToken: 't',
      impersonate: { userName: 'jane', uid: '1', groups: ['g1', 'g2'], extra: { k: ['v'] } },
      tls: { caData: ca, certData: cert, keyData: key, serverName: 'sni' },
    });
  });

  test('plain http: impersonation and proxy only, no credentials or TLS', async () => {
    expect(await build('{server: http://a, tls-server-name: sni}', '{token: t, as: jane}')).toEqual({ host: 'http://a', impersonate: { userName: 'jane' } });
  });

  test('insecure with a CA is refused naming the field', async () => {
    const ca = await readFile(join(pki, 'ca.crt'), 'utf8');
    await expect(build(`{server: https://a, insecure-skip-tls-verify: true, certificate-authority-data: ${b64(ca)}}`, '{}')).rejects.toMatchObject({
      field: 'clusters[c].cluster.insecure-skip-tls-verify',
      file: '/k/config',
    });
  });

  test('unusable PEM is refused without echoing it', async () => {
    const error = await build(`{server: https://a, certificate-authority-data: ${b64('not-a-cert-SECRET')}}`, '{}').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/unable to load root certificates/);
    expect((error as Error).message).not.toContain('SECRET');
  });

  test('removed and unknown auth providers', async () => {
    await expect(build('{server: https://a}', '{auth-provider: {name: gcp}}')).rejects.toThrow(/gke-gcloud-auth-plugin/);
    await expect(build('{server: https://a}', '{auth-provider: {name: acme}}')).rejects.toThrow(/no Auth Provider found for name "acme"/);
    await expect(build('{server: https://a}', '{auth-provider: {name: oidc, config: {client-id: x}}}')).rejects.toThrow(/Must provide idp-issuer-url/);
  });

  test('an exec plugin steps aside for a static token, basic auth or client certificate (client-go)', async () => {
    const cert = await readFile(join(pki, 'client.crt'), 'utf8');
    const key = await readFile(join(pki, 'client.key'), 'utf8');
    const exec = 'exec: {command: "true", apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}';
    expect((await build('{server: https://a}', `{token: static, ${exec}}`)).credentialProvider).toBeUndefined();
    expect((await build('{server: https://a}', `{username: u, password: p, ${exec}}`)).credentialProvider).toBeUndefined();
    expect((await build('{server: https://a}', `{client-certificate-data: ${b64(cert)}, client-key-data: ${b64(key)}, ${exec}}`)).credentialProvider).toBeUndefined();
    expect((await build('{server: https://a}', `{${exec}}`)).credentialProvider).toBeDefined();
    // Still checked, as client-go builds the authenticator before it steps aside.
    await expect(build('{server: https://a}', '{token: static, exec: {command: "true", apiVersion: client.authentication.k8s.io/v2, interactiveMode: Never}}')).rejects.toThrow(/invalid apiVersion/);
  });

  test('an auth provider never replaces a static token, but joins a client certificate', async () => {
    const cert = await readFile(join(pki, 'client.crt'), 'utf8');
    const key = await readFile(join(pki, 'client.key'), 'utf8');
    const oidc = 'auth-provider: {name: oidc, config: {client-id: k, idp-issuer-url: "https://i", id-token: expired}}';
    expect((await build('{server: https://a}', `{token: static, ${oidc}}`)).credentialProvider).toBeUndefined();
    expect((await build('{server: https://a}', `{client-certificate-data: ${b64(cert)}, client-key-data: ${b64(key)}, ${oidc}}`)).credentialProvider).toBeDefined();
  });

  test('token and tokenFile: both are kept, as client-go keeps BearerToken and BearerTokenFile', async () => {
    // Which one goes on the wire (the file's while it is readable) is @kgo/rest's job, checked by
    // its transport test and by the kubectl wire oracle here.
    const dir = await mkdtemp(join(tmpdir(), 'kgo-resolve-'));
    try {
      for (const file of ['token', 'empty', 'missing']) {
        const config = await build('{server: https://a}', `{token: inline, tokenFile: ${join(dir, file)}}`);
        expect(config).toMatchObject({ bearerToken: 'inline', bearerTokenFile: join(dir, file) });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a password without user name is not sent (client-go HasBasicAuth)', async () => {
    const config = await build('{server: https://a}', '{password: p}');
    expect(config.username).toBeUndefined();
    expect(config.password).toBeUndefined();
  });

  test('exec cluster info carries config: null without the exec extension, as client-go', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-resolve-'));
    try {
      const script = join(dir, 'plugin');
      await writeFile(
        script,
        `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "${dir}/info.json"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`,
        { mode: 0o755 },
      );
      const exec = `exec: {command: ${script}, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, provideClusterInfo: true}`;
      const config = await build('{server: https://a, insecure-skip-tls-verify: true}', `{${exec}}`);
      await config.credentialProvider?.getCredentials();
      const info = JSON.parse(await readFile(join(dir, 'info.json'), 'utf8')) as { spec: { cluster: Record<string, unknown> } };
      expect(info.spec.cluster).toEqual({ server: 'https://a', 'insecure-skip-tls-verify': true, config: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a tokenFile holding a line break inside the token is refused without showing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-resolve-'));
    try {
      await writeFile(join(dir, 'token'), 'tok-SECRET\nX-Injected: 1\n');
      const error = await build('{server: https://a}', `{tokenFile: ${join(dir, 'token')}}`).catch((e: unknown) => e);
      expect(error).toMatchObject({ field: 'users[u].user.tokenFile', file: '/k/config' });
      expect((error as Error).message).toMatch(/holds a token containing a line break/);
      expect((error as Error).message).not.toContain('SECRET');
      // A trailing newline is trimmed, as client-go does.
      await writeFile(join(dir, 'token'), 'tok\n');
      expect(await build('{server: https://a}', `{tokenFile: ${join(dir, 'token')}}`)).toMatchObject({ bearerTokenFile: join(dir, 'token') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});


import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KgoError } from '@kgo/rest';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ExecConfig } from './config-types.ts';
import { ExecCredentialError } from './errors/exec-credential-error.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { ExecCredentialProvider } from './exec-credentials.ts';

const pki = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'pki');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-exec-'));
});

/** A sh plugin printing `body`, counting runs in `<name>.count` and saving its env. */
async function plugin(name: string, body: string, exitCode = 0): Promise<{ exec: ExecConfig; runs: () => Promise<number>; env: () => Promise<string> }> {
  const path = join(dir, name);
  await writeFile(
    path,
    `#!/bin/sh\necho x >> "${path}.count"\nenv > "${path}.env"\ncat <<'JSON'\n${body}\nJSON\nexit ${exitCode}\n`,
  );
  await chmod(path, 0o755);
  return {
    exec: { command: path, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' },
    runs: async () => (await readFile(`${path}.count`, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
    env: () => readFile(`${path}.env`, 'utf8'),
  };
}
/** A provider for user "dev" in /k/config whose plugin is not installed. */
const missingPlugin = (installHint: string) =>
  new ExecCredentialProvider({
    exec: { command: 'kgo-missing-plugin', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', installHint },
    userName: 'dev',
    file: '/k/config',
  });
const credential = (status: object, apiVersion = 'client.authentication.k8s.io/v1') => JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

describe('ExecCredentialProvider', () => {
  test('caches a credential without expiry until a 401', async () => {
    const p = await plugin('forever', credential({ token: 'tok-SECRET' }));
    const provider = new ExecCredentialProvider({ exec: p.exec });
    const first = await provider.getCredentials();
    expect(first).toEqual({ token: 'tok-SECRET' });
    await provider.getCredentials();
    expect(await p.runs()).toBe(1);
    provider.onUnauthorized({ token: 'something-else' });
    await provider.getCredentials();
    expect(await p.runs()).toBe(1);
    provider.onUnauthorized(first);
    await provider.getCredentials();
    expect(await p.runs()).toBe(2);
  });

  test('refreshes after expirationTimestamp (injected clock)', async () => {
    const p = await plugin('expiring', credential({ token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' }));
    let now = Date.parse('2029-12-31T23:59:00Z');
    const provider = new ExecCredentialProvider({ exec: p.exec, now: () => now });
    await provider.getCredentials();
    await provider.getCredentials();
    expect(await p.runs()).toBe(1);
    now = Date.parse('2030-01-01T00:00:01Z');
    await provider.getCredentials();
    expect(await p.runs()).toBe(2);
  });

  test('one plugin run for concurrent callers', async () => {
    const p = await plugin('concurrent', credential({ token: 't' }));
    const provider = new ExecCredentialProvider({ exec: p.exec });
    await Promise.all(Array.from({ length: 8 }, () => provider.getCredentials()));
    expect(await p.runs()).toBe(1);
  });

  test('env: process env, then exec.env, then KUBERNETES_EXEC_INFO with the cluster when asked', async () => {
    const p = await plugin('env', credential({ token: 't' }));
    const exec = { ...p.exec, env: [{ name: 'FROM_EXEC', value: 'yes' }, { name: 'BASE', value: 'overridden' }], provideClusterInfo: true };
    const cluster = { server: 'https://a', 'certificate-authority-data': 'Q0E=', config: { k: 'v' } };
    await new ExecCredentialProvider({ exec, cluster, env: { PATH: process.env.PATH, BASE: 'base' }, stdinIsTerminal: false }).getCredentials();
    const env = await p.env();
    expect(env).toMatch(/^FROM_EXEC=yes$/m);
    expect(env).toMatch(/^BASE=overridden$/m);
    const info = JSON.parse(/^KUBERNETES_EXEC_INFO=(.*)$/m.exec(env)![1]!);
    expect(info).toEqual({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false, cluster } });
  });

  test('returns client certificates, checking the pair', async () => {
    const cert = await readFile(join(pki, 'client.crt'), 'utf8');
    const key = await readFile(join(pki, 'client.key'), 'utf8');
    const other = await readFile(join(pki, 'other.key'), 'utf8');
    const good = await plugin('cert', credential({ clientCertificateData: cert, clientKeyData: key }));
    expect(await new ExecCredentialProvider({ exec: good.exec }).getCredentials()).toEqual({ clientCertificate: { certData: cert, keyData: key } });
    const bad = await plugin('badcert', credential({ clientCertificateData: cert, clientKeyData: other }));
    const error = await new ExecCredentialProvider({ exec: bad.exec }).getCredentials().catch((e: Error) => e);
    expect(String(error)).toMatch(/private key does not match public key/);
    expect(String(error)).not.toContain('BEGIN');
  });

  test.each([
    ['garbage stdout', 'not json tok-SECRET', /did not print an ExecCredential JSON object/],
    ['wrong apiVersion', credential({ token: 'tok-SECRET' }, 'client.authentication.k8s.io/v1beta1'), /configured to use API version client.authentication.k8s.io\/v1, plugin returned version client.authentication.k8s.io\/v1beta1/],
    ['no status', JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential' }), /didn't return a status field/],
    ['empty status', credential({}), /didn't return a token or cert\/key pair/],
    ['certificate without key', credential({ clientCertificateData: 'x' }), /only certificate or private key/],
    ['bad expiry', credential({ token: 'tok-SECRET', expirationTimestamp: 'soon' }), /expirationTimestamp/],
  ])('%s is an error without the output in it', async (name, body, pattern) => {
    const p = await plugin(name.replaceAll(' ', '-'), body);
    const error = await new ExecCredentialProvider({ exec: p.exec, userName: 'dev', file: '/k/config' }).getCredentials().catch((e: Error) => e);
    expect(String(error)).toMatch(pattern);
    expect(String(error)).not.toContain('tok-SECRET');
    expect(error).toMatchObject({ file: '/k/config' });
    expect(String(error)).toContain('user "dev" in /k/config');
  });

  test('non-zero exit code', async () => {
    const p = await plugin('exit', credential({ token: 'tok-SECRET' }), 4);
    await expect(new ExecCredentialProvider({ exec: p.exec }).getCredentials()).rejects.toThrow(/failed with exit code 4/);
  });

  test('a missing binary shows the installHint (ANSI stripped)', async () => {
    const error = await missingPlugin('\u001b[31mbrew install kgo-plugin\u001b[0m').getCredentials().catch((e: Error) => e);
    expect(String(error)).toMatch(/executable kgo-missing-plugin not found/);
    expect(String(error)).toContain('brew install kgo-plugin');
    expect(String(error)).not.toContain('\u001b');
    expect(error).toMatchObject({ field: 'users[dev].user.exec.command' });
  });

  test('interactive modes: Always needs a terminal; stdin only when interactive', async () => {
    const p = await plugin('interactive', credential({ token: 't' }));
    await expect(new ExecCredentialProvider({ exec: { ...p.exec, interactiveMode: 'Always' }, stdinIsTerminal: false }).getCredentials()).rejects.toThrow(
      /standard input is not a terminal/,
    );
    await new ExecCredentialProvider({ exec: { ...p.exec, interactiveMode: 'IfAvailable' }, stdinIsTerminal: false }).getCredentials();
    expect(await p.env()).toMatch(/"interactive":false/);
  });

  test('unsupported apiVersion fails at construction', () => {
    expect(() => new ExecCredentialProvider({ exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' } })).toThrow(/invalid apiVersion/);
  });

  test('an aborted caller does not cancel the shared run', async () => {
    const p = await plugin('abort', credential({ token: 't' }));
    const provider = new ExecCredentialProvider({ exec: p.exec });
    const controller = new AbortController();
    const aborted = provider.getCredentials(controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(await provider.getCredentials()).toEqual({ token: 't' });
    expect(await p.runs()).toBe(1);
  });

  test('a missing binary: the top-level message says so in kubectl\'s words, then the install hint', async () => {
    const error = await missingPlugin('brew install kgo-plugin').getCredentials().catch((e: unknown) => e);
    expect(ExecCredentialError.isInstance(error)).toBe(true);
    expect(KgoError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'not-found', command: 'kgo-missing-plugin', file: '/k/config' });
    expect((error as Error).message).toBe(
      'getting credentials: exec: executable kgo-missing-plugin not found (user "dev" in /k/config)\n\n' +
        'It looks like you are trying to use a client-go credential plugin that is not installed.\n\n' +
        'To learn more about this feature, consult the documentation available at:\n' +
        '      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins\n\n' +
        'brew install kgo-plugin',
    );
  });

  test('a plugin that cannot be run (no execute permission) says so', async () => {
    const path = join(dir, 'not-executable');
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, 0o644);
    const error = await new ExecCredentialProvider({ exec: { command: path, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } })
      .getCredentials()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'not-runnable' });
    expect((error as Error).message).toMatch(/^getting credentials: exec: executable \S+ cannot be run \(EACCES\)/);
  });

  test('a non-zero exit: exit code in the message and on the error; stderr never copied into it', async () => {
    const path = join(dir, 'exit-stderr');
    await writeFile(path, '#!/bin/sh\necho "debug: token=tok-STDERR-SECRET" >&2\nexit 7\n');
    await chmod(path, 0o755);
    const error = await new ExecCredentialProvider({ exec: { command: path, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' }, userName: 'dev', file: '/k/config' })
      .getCredentials()
      .catch((e: unknown) => e);
    expect(ExecCredentialError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'exit-code', exitCode: 7, field: 'users[dev].user.exec.command' });
    expect((error as Error).message).toMatch(/^getting credentials: exec: executable \S+ failed with exit code 7 \(user "dev" in \/k\/config\)/);
    expect((error as Error).message).not.toContain('STDERR-SECRET');
  });

  test.each([
    ['garbage stdout', 'not json tok-SECRET', /^getting credentials: exec: plugin \S+ did not print an ExecCredential JSON object/],
    ['wrong apiVersion', credential({ token: 'tok-SECRET' }, 'client.authentication.k8s.io/v1beta1'), /^getting credentials: exec plugin is configured to use API version/],
    ['no status', JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential' }), /^getting credentials: exec plugin didn't return a status field/],
    ['a token with a line break', credential({ token: 'tok-SECRET\r\nX-Injected: 1' }), /returned a token containing a line break \(CR or LF\).*not shown/],
  ])('%s: an ExecCredentialError (invalid-output) whose top-level message says what was wrong', async (name, body, pattern) => {
    const p = await plugin(`invalid-${name.replaceAll(' ', '-')}`, body);
    const error = await new ExecCredentialProvider({ exec: p.exec, userName: 'dev', file: '/k/config' }).getCredentials().catch((e: unknown) => e);
    expect(ExecCredentialError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid-output' });
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('SECRET');
  });

  test("a caller's timeout ends its wait with an error naming the plugin, not the API server", async () => {
    const path = join(dir, 'slow');
    await writeFile(path, `#!/bin/sh\nsleep 2\necho '${credential({ token: 't' })}'\n`);
    await chmod(path, 0o755);
    const provider = new ExecCredentialProvider({ exec: { command: path, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } });
    const started = Date.now();
    const error = await provider.getCredentials(AbortSignal.timeout(100)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toMatchObject({ reason: 'aborted' });
    expect((error as Error).message).toMatch(/^getting credentials: exec: executable \S+slow had not returned credentials when the call's timeout expired/);
    // The run goes on for the next caller.
    expect(await provider.getCredentials()).toEqual({ token: 't' });
  });

  test('NUL in a command, argument or env entry is refused before anything runs, naming the field but never the value', () => {
    const base = { command: 'plugin', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' };
    const attempt = (exec: ExecConfig) => {
      try {
        new ExecCredentialProvider({ exec, userName: 'dev', file: '/k/config' });
      } catch (error) {
        return error as KubeconfigError;
      }
      throw new Error('expected a refusal');
    };
    const env = attempt({ ...base, env: [{ name: 'OK', value: 'fine' }, { name: 'API_KEY', value: 'sec\0ret-SECRET' }] });
    expect(KubeconfigError.isInstance(env)).toBe(true);
    expect(env.field).toBe('users[dev].user.exec.env[1].value');
    expect(env.message).toContain('"API_KEY"');
    expect(env.message).not.toContain('SECRET');
    const arg = attempt({ ...base, args: ['--token', 'x\0-SECRET'] });
    expect(arg.field).toBe('users[dev].user.exec.args[1]');
    expect(arg.message).not.toContain('SECRET');
    expect(attempt({ ...base, command: 'plu\0gin' }).field).toBe('users[dev].user.exec.command');
    expect(attempt({ ...base, command: '' }).message).toMatch(/without command/);
  });
});


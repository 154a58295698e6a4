/*
 * Reliability suite 6 (issue #14): a bearer token that rotates in its file, as projected
 * service-account tokens do, against kube-apiserver. Two real service-account tokens, each bound
 * to a Secret: deleting the Secret revokes its token at once. kgo re-reads the file once a minute,
 * as client-go's cached file token source does, so the rotation is picked up within a minute and
 * not before; Date is moved forward instead of waiting.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isUnauthorized } from '../errors/predicates.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';
import { TOKEN_FILE_REFRESH_MS } from './token-file.ts';
import { whoAmI } from './__fixtures__/who-am-i.ts';

const cluster = testCluster();
const namespace = `kgo-token-file-${randomBytes(3).toString('hex')}`;
const core = new RestClient(restConfigFor(cluster) as RestConfig, { groupVersion: { group: '', version: 'v1' } });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-token-file-'));
  await core.post().resource('namespaces').body({ metadata: { name: namespace } }).do();
  await core.post().namespace(namespace).resource('serviceaccounts').body({ metadata: { name: 'rotor' } }).do();
});
afterAll(async () => {
  vi.useRealTimers();
  await core.delete().resource('namespaces').name(namespace).do().catch(() => {});
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

/** A service-account token bound to a new Secret: deleting the Secret revokes the token. */
async function boundToken(secret: string): Promise<string> {
  const created = (await core.post().namespace(namespace).resource('secrets').body({ metadata: { name: secret } }).do()).into<{ metadata: { uid: string } }>();
  const request = await core
    .post()
    .namespace(namespace)
    .resource('serviceaccounts')
    .name('rotor')
    .subresource('token')
    .body({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: secret, uid: created.metadata.uid } },
    })
    .do();
  return request.into<{ status: { token: string } }>().status.token;
}

const username = async (client: RestClient) => (await whoAmI(client)).username;

describe('a bearer token file that rotates', () => {
  it('is re-read once a minute (client-go): the old token is used until then, the new one after', { timeout: 60_000 }, async () => {
    const [first, second] = [await boundToken('first'), await boundToken('second')];
    const file = join(dir, 'token');
    await writeFile(file, `${first}\n`);
    const client = new RestClient({ host: cluster.server, tls: { caData: cluster.caCert }, bearerTokenFile: file, qps: -1, maxRetries: 0 });
    try {
      expect(await username(client)).toBe(`system:serviceaccount:${namespace}:rotor`);

      // The kubelet rotates the file; the old token is revoked.
      await writeFile(file, `${second}\n`);
      await core.delete().namespace(namespace).resource('secrets').name('first').do();
      // The server revokes it once its cache of successful token reviews (10 s) lets go and its
      // Secret informer has seen the delete.
      let stale: unknown;
      await expect
        .poll(async () => (stale = await username(client).then(() => undefined, (error: unknown) => error)) !== undefined, { timeout: 30_000, interval: 500 })
        .toBe(true);
      expect(isUnauthorized(stale)).toBe(true);
      expect(String(stale)).not.toContain(first.slice(20, 60));

      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + TOKEN_FILE_REFRESH_MS + 1000 });
      expect(await username(client)).toBe(`system:serviceaccount:${namespace}:rotor`);
    } finally {
      vi.useRealTimers();
      await client.close();
    }
  });

  it('an emptied file keeps the last good token; a missing file at first use is an error naming it', async () => {
    const token = await boundToken('third');
    const file = join(dir, 'token-2');
    await writeFile(file, token);
    const client = new RestClient({ host: cluster.server, tls: { caData: cluster.caCert }, bearerTokenFile: file, qps: -1 });
    try {
      expect(await username(client)).toBe(`system:serviceaccount:${namespace}:rotor`);
      await writeFile(file, '');
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + TOKEN_FILE_REFRESH_MS + 1000 });
      expect(await username(client)).toBe(`system:serviceaccount:${namespace}:rotor`);
    } finally {
      vi.useRealTimers();
      await client.close();
    }
    const missing = new RestClient({ host: cluster.server, tls: { caData: cluster.caCert }, bearerTokenFile: join(dir, 'absent'), qps: -1 });
    const error = await username(missing).then(() => undefined, (e: unknown) => e);
    await missing.close();
    expect(String(error)).toContain(`cannot read the bearer token file ${join(dir, 'absent')}`);
  });
});

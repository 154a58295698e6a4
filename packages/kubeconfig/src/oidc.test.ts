import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OidcCredentialProvider } from './oidc.ts';

const jwt = (exp: number) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
const now = Date.parse('2030-01-01T00:00:00Z');
const valid = jwt(now / 1000 + 3600);
const expired = jwt(now / 1000 - 60);
const fresh = jwt(now / 1000 + 7200);

let server: Server;
let issuer: string;
const requests: { path: string; body: string; authorization?: string }[] = [];
let tokenAnswer: { status: number; body: object } = { status: 200, body: { id_token: fresh, refresh_token: 'refresh-2' } };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ token_endpoint: `${issuer}/token` }));
      } else {
        res.statusCode = tokenAnswer.status;
        res.end(JSON.stringify(tokenAnswer.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const base = () => ({ 'idp-issuer-url': issuer, 'client-id': 'kgo', 'client-secret': 'shh-SECRET' });

describe('OidcCredentialProvider', () => {
  test('uses a valid id-token as is', async () => {
    const provider = new OidcCredentialProvider({ config: { ...base(), 'id-token': valid }, now: () => now });
    expect(await provider.getCredentials()).toEqual({ token: valid });
  });

  test('refreshes an expired id-token with the refresh-token, via discovery', async () => {
    requests.length = 0;
    const persisted: Record<string, string>[] = [];
    const provider = new OidcCredentialProvider({ config: { ...base(), 'id-token': expired, 'refresh-token': 'refresh-1' }, now: () => now, persist: (c) => void persisted.push(c) });
    expect(await provider.getCredentials()).toEqual({ token: fresh });
    expect(requests.map((r) => r.path)).toEqual(['/.well-known/openid-configuration', '/token']);
    expect(new URLSearchParams(requests[1]!.body).get('refresh_token')).toBe('refresh-1');
    expect(requests[1]!.authorization).toBe(`Basic ${Buffer.from('kgo:shh-SECRET').toString('base64')}`);
    expect(persisted[0]).toMatchObject({ 'id-token': fresh, 'refresh-token': 'refresh-2' });
    expect(await provider.getCredentials()).toEqual({ token: fresh });
    expect(requests).toHaveLength(2);
  });

  test('tokens within 10 s of expiry count as expired', async () => {
    const provider = new OidcCredentialProvider({ config: { ...base(), 'id-token': jwt(now / 1000 + 5) }, now: () => now });
    await expect(provider.getCredentials()).rejects.toThrow(/cannot refresh without refresh-token/);
  });

  test('clear errors, without secrets', async () => {
    const noRefresh = new OidcCredentialProvider({ config: { ...base(), 'id-token': expired }, now: () => now, userName: 'dev', file: '/k/config' });
    const error = await noRefresh.getCredentials().catch((e: Error) => e);
    expect(String(error)).toMatch(/No valid id-token, and cannot refresh without refresh-token; log in again/);
    expect(error).toMatchObject({ file: '/k/config', field: 'users[dev].user.auth-provider.config.refresh-token' });

    tokenAnswer = { status: 200, body: { access_token: 'x' } };
    const noIdToken = new OidcCredentialProvider({ config: { ...base(), 'refresh-token': 'r-SECRET' }, now: () => now });
    await expect(noIdToken.getCredentials()).rejects.toThrow(/did not contain an id_token/);

    tokenAnswer = { status: 400, body: { error: 'invalid_grant' } };
    const revoked = await new OidcCredentialProvider({ config: { ...base(), 'refresh-token': 'r-SECRET' }, now: () => now }).getCredentials().catch((e: Error) => e);
    expect(String(revoked)).toMatch(/HTTP 400.*log in again/);
    expect(String(revoked)).not.toMatch(/SECRET/);
    tokenAnswer = { status: 200, body: { id_token: fresh } };

    expect(() => new OidcCredentialProvider({ config: { 'idp-issuer-url': issuer } })).toThrow(/Must provide client-id/);
    await expect(new OidcCredentialProvider({ config: { ...base(), 'id-token': 'not-a-jwt' } }).getCredentials()).rejects.toThrow(/not a valid JWT/);
  });

  test('a 401 drops the id-token when it can be refreshed', async () => {
    const provider = new OidcCredentialProvider({ config: { ...base(), 'id-token': valid, 'refresh-token': 'r' }, now: () => now });
    provider.onUnauthorized({ token: valid });
    expect(await provider.getCredentials()).toEqual({ token: fresh });
  });
});

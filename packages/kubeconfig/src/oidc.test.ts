import { type Server, createServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { KgoError } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OidcCredentialError } from './errors/oidc-credential-error.ts';
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

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A loopback issuer that accepts connections and never answers. */
async function silentIssuer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    },
  };
}

describe('OidcCredentialProvider refresh failures name the issuer, never the API server', () => {
  const refreshable = (issuerUrl: string) => ({ 'idp-issuer-url': issuerUrl, 'client-id': 'kgo', 'client-secret': 'shh-SECRET', 'id-token': expired, 'refresh-token': 'r-SECRET' });

  test('an issuer refusing the connection', async () => {
    const port = await closedPort();
    const provider = new OidcCredentialProvider({ config: refreshable(`http://127.0.0.1:${port}`), now: () => now, userName: 'dev', file: '/k/config' });
    const error = await provider.getCredentials().catch((e: unknown) => e);
    expect(OidcCredentialError.isInstance(error)).toBe(true);
    expect(KgoError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ endpoint: `http://127.0.0.1:${port}/.well-known/openid-configuration`, field: 'users[dev].user.auth-provider.config.idp-issuer-url', file: '/k/config' });
    expect((error as Error).message).toBe(
      `getting credentials: oidc: cannot reach the issuer's discovery document http://127.0.0.1:${port}/.well-known/openid-configuration: ` +
        `connection refused: is the OIDC issuer running at 127.0.0.1:${port}? (user "dev" in /k/config)`,
    );
    expect((error as Error).message).not.toMatch(/API server|SECRET/);
  });

  test('a token endpoint refusing the connection is named as the token endpoint', async () => {
    const port = await closedPort();
    const discovery = createServer((_req, res) => res.end(JSON.stringify({ token_endpoint: `http://127.0.0.1:${port}/token` })));
    await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
    try {
      const issuerUrl = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
      const error = await new OidcCredentialProvider({ config: refreshable(issuerUrl), now: () => now }).getCredentials().catch((e: unknown) => e);
      expect(error).toMatchObject({ endpoint: `http://127.0.0.1:${port}/token` });
      expect((error as Error).message).toMatch(new RegExp(`^getting credentials: oidc: cannot reach the token endpoint http://127.0.0.1:${port}/token: connection refused: is the OIDC issuer running`));
    } finally {
      await new Promise<void>((resolve) => discovery.close(() => resolve()));
    }
  });

  test("a silent issuer: the call's signal ends the wait at once, naming the issuer", async () => {
    const issuerServer = await silentIssuer();
    try {
      const provider = new OidcCredentialProvider({ config: refreshable(issuerServer.url), now: () => now });
      const started = Date.now();
      const error = await provider.getCredentials(AbortSignal.timeout(200)).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(OidcCredentialError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        `getting credentials: oidc: refreshing the id-token at the issuer's discovery document ${issuerServer.url}/.well-known/openid-configuration had not finished when the call's timeout expired`,
      );
    } finally {
      await issuerServer.close();
    }
  });

  test('a silent issuer: the refresh has its own bound', async () => {
    const issuerServer = await silentIssuer();
    try {
      const provider = new OidcCredentialProvider({ config: refreshable(issuerServer.url), now: () => now, refreshTimeoutMs: 300 });
      const started = Date.now();
      const error = await provider.getCredentials().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((error as Error).message).toBe(
        `getting credentials: oidc: cannot reach the issuer's discovery document ${issuerServer.url}/.well-known/openid-configuration: no answer within 0.3 s (the refresh timeout)`,
      );
    } finally {
      await issuerServer.close();
    }
  });

  test('an id_token with a line break is refused without echoing it', async () => {
    tokenAnswer = { status: 200, body: { id_token: 'aaa.bbb.ccc\r\nX-Injected: SECRET' } };
    try {
      const error = await new OidcCredentialProvider({ config: { ...base(), 'refresh-token': 'r' }, now: () => now }).getCredentials().catch((e: unknown) => e);
      expect(OidcCredentialError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/returned an id_token containing a line break/);
      expect((error as Error).message).not.toContain('SECRET');
    } finally {
      tokenAnswer = { status: 200, body: { id_token: fresh } };
    }
  });
});


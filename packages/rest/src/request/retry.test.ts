import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialProvider, Credentials } from '../transport/credential-provider.ts';
import { RequestError } from '../errors/request-error.ts';
import { isServiceUnavailable, isTooManyRequests, isUnauthorized } from '../errors/predicates.ts';
import type { RateLimiter } from '../transport/rate-limiter.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';
import type { Warning } from '../transport/warnings.ts';
import { isRetryableNetworkError } from './retry.ts';

/*
 * Faults a real API server will not produce on demand: 429/503 with Retry-After, connection
 * resets, garbage bodies. Served by a small local HTTP server on loopback.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;
const routes = new Map<string, Handler>();
const attempts = new Map<string, number>();
let server: Server;
let host: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const attempt = (attempts.get(path) ?? 0) + 1;
    attempts.set(path, attempt);
    req.resume();
    req.on('end', () => (routes.get(path) ?? ((_, r) => r.writeHead(404).end()))(req, res, attempt));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  routes.clear();
  attempts.clear();
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
const ok = (res: ServerResponse) => json(res, 200, { kind: 'ConfigMap', metadata: { name: 'x' } });
const reset = (req: IncomingMessage) => req.socket.destroy();

const config = (extra: Partial<RestConfig> = {}): RestConfig => ({ host, qps: -1, ...extra });

describe('retries (client-go with_retry.go rules)', () => {
  it('retries a 429 with Retry-After, for any verb, until it succeeds', async () => {
    routes.set('/api/v1/namespaces/d/configmaps', (_, res, attempt) =>
      attempt < 3 ? json(res, 429, { kind: 'Status', status: 'Failure', code: 429, reason: 'TooManyRequests', message: 'slow down' }, { 'retry-after': '0' }) : json(res, 201, { kind: 'ConfigMap' }),
    );
    const client = new RestClient(config(), { groupVersion: { group: '', version: 'v1' } });
    const result = await client.post().namespace('d').resource('configmaps').body({ kind: 'ConfigMap' }).do();
    expect(result.statusCode).toBe(201);
    expect(attempts.get('/api/v1/namespaces/d/configmaps')).toBe(3);
  });

  it('waits the Retry-After seconds', async () => {
    routes.set('/wait', (_, res, attempt) => (attempt === 1 ? res.writeHead(503, { 'retry-after': '1' }).end() : ok(res)));
    const started = performance.now();
    await new RestClient(config()).get().absPath('/wait').do();
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(attempts.get('/wait')).toBe(2);
  });

  it('does not retry a 503 without Retry-After', async () => {
    routes.set('/down', (_, res) => res.writeHead(503).end('maintenance'));
    const error = await new RestClient(config()).get().absPath('/down').do().catch((e: unknown) => e);
    expect(isServiceUnavailable(error)).toBe(true);
    expect(attempts.get('/down')).toBe(1);
  });

  it('gives up after maxRetries and says what the previous attempt saw', async () => {
    routes.set('/busy', (_, res) => json(res, 429, { kind: 'Status', status: 'Failure', code: 429, reason: 'TooManyRequests', message: 'busy' }, { 'retry-after': '0' }));
    const error = await new RestClient(config({ maxRetries: 3 })).get().absPath('/busy').do().catch((e: unknown) => e);
    expect(isTooManyRequests(error)).toBe(true);
    expect(attempts.get('/busy')).toBe(4);
  });

  it('replays a GET whose connection was reset, after a second', async () => {
    routes.set('/flaky', (req, res, attempt) => (attempt === 1 ? reset(req) : ok(res)));
    const result = await new RestClient(config()).get().absPath('/flaky').do();
    expect(result.into<{ kind: string }>().kind).toBe('ConfigMap');
    expect(attempts.get('/flaky')).toBe(2);
  });

  it('never replays a POST whose connection was reset: it may have reached the server', async () => {
    routes.set('/write', (req) => reset(req));
    const error = await new RestClient(config()).post().absPath('/write').body({ a: 1 }).do().catch((e: unknown) => e);
    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/write: /);
    expect(attempts.get('/write')).toBe(1);
  });

  it('takes a rate-limiter token for every attempt', async () => {
    let acquired = 0;
    const counting: RateLimiter = { acquire: async () => void acquired++ };
    routes.set('/limited', (_, res, attempt) => (attempt < 3 ? res.writeHead(429, { 'retry-after': '0' }).end() : ok(res)));
    await new RestClient(config({ rateLimiter: counting })).get().absPath('/limited').do();
    expect(acquired).toBe(3);
  });

  it('takes no token for a watch', async () => {
    let acquired = 0;
    const counting: RateLimiter = { acquire: async () => void acquired++ };
    routes.set('/api/v1/configmaps', (_, res) => json(res, 200, { type: 'ADDED', object: { kind: 'ConfigMap' } }));
    const watch = await new RestClient(config({ rateLimiter: counting }), { groupVersion: { group: '', version: 'v1' } }).get().resource('configmaps').watch();
    const types: string[] = [];
    for await (const event of watch) types.push(event.type);
    expect(types).toEqual(['ADDED']);
    expect(acquired).toBe(0);
  });

  it('bounds the whole call with the timeout and sends it to the server', async () => {
    let query = '';
    routes.set('/slow', (req, res) => {
      query = new URL(req.url ?? '', 'http://x').search;
      setTimeout(() => ok(res), 2000);
    });
    const error = await new RestClient(config()).get().absPath('/slow').timeout(300).do().catch((e: unknown) => e);
    expect(RequestError.isInstance(error) && error.code).toBe('timeout');
    expect(query).toBe('?timeout=300ms');
  });
});

describe('which failures without a response a GET is sent again after', () => {
  // Seen through @kgo/envtest's FaultProxy (reliability.integration.test.ts): an HTTP/2
  // connection reset mid-frame, a stream ended by GOAWAY or a reset.
  it('an HTTP/2 protocol error (a connection cut mid-frame)', () => {
    expect(isRetryableNetworkError('GET', 'ERR_HTTP2_ERROR', 'Protocol error')).toBe(true);
    expect(isRetryableNetworkError('POST', 'ERR_HTTP2_ERROR', 'Protocol error')).toBe(false);
  });

  it('an HTTP/2 stream or session that ended before the response', () => {
    for (const code of ['ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_STREAM_CANCEL']) {
      expect(isRetryableNetworkError('GET', code, 'HTTP/2 stream closed before the response'), code).toBe(true);
      expect(isRetryableNetworkError('PUT', code, 'HTTP/2 stream closed before the response'), code).toBe(false);
    }
  });

  it('a connection that closed before or under the response (node:http)', () => {
    expect(isRetryableNetworkError('GET', 'ECONNRESET', 'socket hang up')).toBe(true);
    expect(isRetryableNetworkError('GET', 'ECONNRESET', 'aborted')).toBe(true);
    expect(isRetryableNetworkError('POST', 'ECONNRESET', 'socket hang up')).toBe(false);
  });

  it('not a refused TLS handshake or an unrelated informational error', () => {
    expect(isRetryableNetworkError('GET', 'ABORT_ERR', 'This operation was aborted')).toBe(false);
    expect(isRetryableNetworkError('GET', 'tls-handshake-closed', 'socket hang up')).toBe(false);
    expect(isRetryableNetworkError('GET', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')).toBe(false);
  });
});

describe('responses', () => {
  it('reports Warning headers to the handler', async () => {
    routes.set('/warn', (_, res) => res.writeHead(200, { 'content-type': 'application/json', warning: '299 - "v1beta1 is deprecated"' }).end('{}'));
    const seen: Warning[] = [];
    const result = await new RestClient(config({ warningHandler: (w) => seen.push(w) })).get().absPath('/warn').do();
    expect(seen).toEqual([{ code: 299, agent: '-', text: 'v1beta1 is deprecated' }]);
    expect(result.warnings).toEqual(seen);
  });

  it('refuses to decode an empty or non-JSON body', async () => {
    routes.set('/empty', (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end());
    routes.set('/garbage', (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'));
    const client = new RestClient(config());
    await expect(client.get().absPath('/empty').do().then((r) => r.into())).rejects.toThrow(/0-length response with status code 200/);
    await expect(client.get().absPath('/garbage').do().then((r) => r.into())).rejects.toThrow(/response is not JSON/);
  });

  it('asks the credential provider for fresh credentials after a 401', async () => {
    routes.set('/whoami', (req, res) =>
      req.headers.authorization === 'Bearer fresh' ? ok(res) : json(res, 401, { kind: 'Status', status: 'Failure', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }),
    );
    let token = 'stale';
    const refused: Credentials[] = [];
    const provider: CredentialProvider = {
      getCredentials: async () => ({ token }),
      onUnauthorized: (used) => {
        refused.push(used);
        token = 'fresh';
      },
    };
    const client = new RestClient(config({ credentialProvider: provider }));
    const first = await client.get().absPath('/whoami').do().catch((e: unknown) => e);
    expect(isUnauthorized(first)).toBe(true);
    expect(refused).toEqual([{ token: 'stale' }]);
    expect((await client.get().absPath('/whoami').do()).statusCode).toBe(200);
  });

  it('names the host when the connection is refused, and never the credentials', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await new RestClient({ host: `http://127.0.0.1:${port}`, bearerToken: 'secret-token-value', maxRetries: 0 })
      .get()
      .absPath('/version')
      .do()
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(`GET http://127.0.0.1:${port}/version: connection refused: is the API server running at 127.0.0.1:${port}?`);
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('secret-token-value');
  });
});

describe('connections', () => {
  it('never queues a request behind open watches (no per-origin connection cap)', async () => {
    // 80 watches that never end, over HTTP/1.1: each holds a connection.
    routes.set('/api/v1/configmaps', (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"kind":"ConfigMap"}}\n');
    });
    routes.set('/version', (_, res) => json(res, 200, { gitVersion: 'v1.37.2' }));
    const client = new RestClient(config(), { groupVersion: { group: '', version: 'v1' } });
    const watches = await Promise.all(Array.from({ length: 80 }, () => client.get().resource('configmaps').watch()));
    const version = await client.get().absPath('/version').timeout(5000).do();
    expect(version.into<{ gitVersion: string }>().gitVersion).toBe('v1.37.2');
    for (const watch of watches) watch.stop();
    await client.close();
  });
});

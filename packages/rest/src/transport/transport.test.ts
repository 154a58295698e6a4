import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RestClient } from '../rest-client.ts';
import { HttpClient } from './http-client.ts';
import type { RestConfig } from '../rest-config.ts';
import { TOKEN_FILE_REFRESH_MS, TokenFileSource } from './token-file.ts';
import { createGzip, gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TCP_KEEP_ALIVE_IDLE_MS } from './transport.ts';

/* What goes on the wire: auth headers, compression, user agent, connection reuse. */

let server: Server;
let host: string;
let seen: IncomingHttpHeaders[] = [];
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    sockets.add(req.socket);
    const body = JSON.stringify({ kind: 'Status', status: 'Success' });
    if (req.url?.startsWith('/open-stream')) {
      // The first part of a body that goes on until the client goes away (a followed log), gzipped on request.
      const gzip = req.url.endsWith('gzip');
      res.writeHead(200, { 'content-type': 'text/plain', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      if (!gzip) {
        res.write('first line\n');
        return;
      }
      const encoder = createGzip();
      encoder.pipe(res);
      encoder.write('first line\n');
      encoder.flush();
      return;
    }
    if (req.url === '/gzip' && String(req.headers['accept-encoding']).includes('gzip')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(body));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  sockets.clear();
});

const get = async (config: RestConfig, path = '/x') => {
  await new RestClient(config).get().absPath(path).do();
  return seen[seen.length - 1] as IncomingHttpHeaders;
};

describe('authentication headers', () => {
  it('sends a bearer token', async () => {
    expect((await get({ host, bearerToken: 'abc' })).authorization).toBe('Bearer abc');
  });

  it('sends basic auth', async () => {
    expect((await get({ host, username: 'jane', password: 'p:w' })).authorization).toBe(`Basic ${Buffer.from('jane:p:w').toString('base64')}`);
  });

  it('refuses a token together with basic auth', () => {
    expect(() => new RestClient({ host, bearerToken: 'a', username: 'u', password: 'p' })).toThrow('more than one authentication method found');
  });

  it('reads the token file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-token-'));
    try {
      await writeFile(join(dir, 'token'), 'from-file\n');
      expect((await get({ host, bearerTokenFile: join(dir, 'token') })).authorization).toBe('Bearer from-file');
      // client-go: the file's token wins over the inline one; the inline one stands in while the file is unreadable.
      expect((await get({ host, bearerToken: 'inline', bearerTokenFile: join(dir, 'token') })).authorization).toBe('Bearer from-file');
      expect((await get({ host, bearerToken: 'inline', bearerTokenFile: join(dir, 'missing') })).authorization).toBe('Bearer inline');
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('configuration mistakes', () => {
  it.each([
    ['not a URL', { host: 'https//admin:s3cret@h' }, 'RestConfig.host "https//***@h" is not a URL: use https://host:port'],
    ['another scheme', { host: 'ftp://h' }, 'RestConfig.host "ftp://h" must be an http or https URL'],
    ['credentials in the URL', { host: 'https://admin:s3cret@h' }, 'RestConfig.host must not carry credentials: use username/password or bearerToken'],
    ['insecure with a CA', { host: 'https://h', tls: { insecure: true, caData: 'x' } }, 'specifying a root certificates file with the insecure flag is not allowed'],
    ['impersonated groups without a user', { host: 'https://h', impersonate: { groups: ['g'] } }, 'groups, uid or extra need a user name'],
    // The password where a port would be: not a URL, and the message must not show it.
    ['a proxy URL with a password but no host', { host: 'https://h', proxyUrl: 'http://jane:s3cret' }, 'proxyUrl "http://***" is not a URL'],
    ['a proxy URL with a password, a path and no host', { host: 'https://h', proxyUrl: 'socks5://jane:s3cret/x' }, 'proxyUrl "socks5://***" is not a URL'],
  ] as [string, RestConfig, string][])('%s is refused when the client is made, without echoing secrets', (_, config, message) => {
    let error: unknown;
    try {
      new RestClient(config);
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('TokenFileSource', () => {
  it('re-reads the file after a minute, and keeps the old token when a re-read fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-token-'));
    const file = join(dir, 'token');
    let now = 0;
    const source = new TokenFileSource(file, () => now);
    try {
      await writeFile(file, 'one');
      expect(await source.token()).toBe('one');
      await writeFile(file, 'two');
      now = TOKEN_FILE_REFRESH_MS - 1;
      expect(await source.token()).toBe('one');
      now = TOKEN_FILE_REFRESH_MS;
      expect(await source.token()).toBe('two');
      await rm(file);
      now = 3 * TOKEN_FILE_REFRESH_MS;
      expect(await source.token()).toBe('two');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file when the first read fails or the file is empty, and never prints its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-token-'));
    try {
      await expect(new TokenFileSource(join(dir, 'missing')).token()).rejects.toThrow(`cannot read the bearer token file ${join(dir, 'missing')}`);
      await writeFile(join(dir, 'empty'), '  \n');
      await expect(new TokenFileSource(join(dir, 'empty')).token()).rejects.toThrow('the file is empty');
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('requests', () => {
  it('accepts gzip and decodes it, unless compression is disabled', async () => {
    const client = new RestClient({ host });
    const result = await client.get().absPath('/gzip').do();
    expect(result.into<{ status: string }>().status).toBe('Success');
    expect(seen[0]?.['accept-encoding']).toContain('gzip');
    await new RestClient({ host, disableCompression: true }).get().absPath('/gzip').do();
    expect(seen[1]?.['accept-encoding']).toBe('identity');
  });

  it.each(['/open-stream', '/open-stream-gzip'])('hands on a streamed body (%s) as it arrives, before the response ends', async (path) => {
    const client = new RestClient({ host });
    try {
      // The server never ends this response: a transport that buffered it would never resolve the read.
      const reader = (await client.get().absPath(path).stream()).getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toBe('first line\n');
      await reader.cancel();
    } finally {
      await client.close();
    }
  });

  it('sends Accept and a User-Agent naming kgo, or the configured one', async () => {
    const headers = await get({ host });
    expect(headers.accept).toBe('application/json, */*');
    expect(headers['user-agent']).toMatch(/^\S+\/\S+ \(\w+\/\w+\) kgo\/\d+\.\d+\.\d+/);
    expect((await get({ host, userAgent: 'my-operator/1.0' }))['user-agent']).toBe('my-operator/1.0');
  });

  it('shares one connection pool between the clients of one HttpClient', async () => {
    const http = new HttpClient({ host });
    for (let i = 0; i < 5; i++) {
      await new RestClient(http).get().absPath('/a').do();
      await new RestClient(http, { groupVersion: { group: 'apps', version: 'v1' } }).get().resource('deployments').do();
    }
    const shared = sockets.size;
    sockets.clear();
    for (let i = 0; i < 10; i++) await new RestClient({ host }).get().absPath('/a').do();
    expect(sockets.size).toBe(10); // ten configs, ten pools
    expect(shared).toBeLessThanOrEqual(2); // one pool, its connections reused
  });

  it('turns TCP keep-alive on for its connections, probing after 30 s idle (the kernel says so: ss)', async () => {
    const http = new HttpClient({ host });
    await new RestClient(http).get().absPath('/a').do();
    // The pooled connection, seen from the client's side: its keep-alive timer runs from the idle delay.
    // (While a segment awaits its ACK, ss shows the retransmission timer instead: a delayed ACK takes ≤ 40 ms.)
    await new Promise((resolve) => setTimeout(resolve, 200));
    const port = new URL(host).port;
    const { stdout } = await promisify(execFile)('ss', ['-tnoH', 'state', 'established', `dport = :${port}`]);
    await http.close();
    const timers = [...stdout.matchAll(/timer:\(keepalive,(?:(\d+)min)?(\d+)(?:\.(\d+))?(?:sec|ms)/g)];
    expect(timers.length, stdout).toBeGreaterThanOrEqual(1);
    const seconds = timers.map(([, minutes, whole, fraction]) => Number(minutes ?? 0) * 60 + Number(`${whole}.${fraction ?? 0}`));
    for (const left of seconds) {
      expect(left).toBeGreaterThan(TCP_KEEP_ALIVE_IDLE_MS / 1000 - 5);
      expect(left).toBeLessThanOrEqual(TCP_KEEP_ALIVE_IDLE_MS / 1000);
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { constants, createSecureServer, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '@kgo/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestError } from '../errors/request-error.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';

/*
 * The connection pool against small local servers, for what kube-apiserver will not do on
 * demand: offer only HTTP/1.1 over TLS, cap concurrent streams low, refuse a stream, cut a body
 * short of its Content-Length; and proxies that want credentials.
 */

let dir: string;
let ca: string;
let serving: { cert: string; key: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-pool-'));
  const authority = await createCertificateAuthority(dir, 'pool-ca', 'kgo-pool-test-ca');
  ca = authority.cert;
  serving = await issueCertificate(dir, 'pool-server', authority, { commonName: 'pool', ipAddresses: ['127.0.0.1'], usage: 'server' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function listen<T extends Server | HttpServer | Http2SecureServer>(server: T): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const config = (port: number, extra: Partial<RestConfig> = {}): RestConfig => ({ host: `https://127.0.0.1:${port}`, tls: { caData: ca }, qps: -1, ...extra });
const json = { ':status': 200, 'content-type': 'application/json' };

function respond(stream: ServerHttp2Stream, headers: Record<string, string | number>, body: string): void {
  stream.respond(headers);
  stream.end(body);
}

describe('ALPN: the server chooses', () => {
  it('speaks HTTP/1.1 to a TLS server that offers only it, reusing the connection that found out', async () => {
    let connections = 0;
    const protocols: string[] = [];
    const server = createHttpsServer({ ...serving, ALPNProtocols: ['http/1.1'] }, (req, res) => {
      protocols.push(req.httpVersion);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Status"}');
    });
    server.on('secureConnection', () => connections++);
    const client = new RestClient(config(await listen(server)));
    try {
      for (let i = 0; i < 3; i++) expect((await client.get().absPath('/x').do()).into<{ kind: string }>().kind).toBe('Status');
      expect(protocols).toEqual(['1.1', '1.1', '1.1']);
      expect(connections).toBe(1);
    } finally {
      await client.close();
      server.close();
    }
  });
});

describe('HTTP/2', () => {
  let server: Http2SecureServer;
  let port: number;
  let sessions = 0;
  const raw = new Set<Socket>();
  let handle: (stream: ServerHttp2Stream, path: string) => void = () => {};
  beforeAll(async () => {
    server = createSecureServer({ ...serving, settings: { maxConcurrentStreams: 2 } });
    server.on('session', () => sessions++);
    server.on('connection', (socket: Socket) => raw.add(socket.once('close', () => raw.delete(socket))));
    server.on('stream', (stream, headers) => {
      stream.on('error', () => {});
      handle(stream, String(headers[':path']));
    });
    port = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('opens another connection once the server’s limit of concurrent streams is reached', async () => {
    sessions = 0;
    const waiting: ServerHttp2Stream[] = [];
    // Answer nothing until all five calls are open at once.
    handle = (stream) => {
      waiting.push(stream);
      if (waiting.length === 5) for (const held of waiting) respond(held, json, '{"kind":"Status"}');
    };
    // No retries: every call must get its stream on the first try.
    const client = new RestClient(config(port, { maxRetries: 0 }));
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => client.get().absPath('/held').do()));
      expect(results.map((result) => result.into<{ kind: string }>().kind)).toEqual(Array(5).fill('Status'));
      expect(sessions).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('sends a stream the server refused unprocessed again, once, even a POST', async () => {
    let streams = 0;
    handle = (stream) => {
      streams++;
      if (streams === 1) stream.close(constants.NGHTTP2_REFUSED_STREAM);
      else respond(stream, { ...json, ':status': 201 }, '{"kind":"ConfigMap"}');
    };
    const client = new RestClient(config(port, { maxRetries: 0 }));
    try {
      const result = await client.post().absPath('/api/v1/namespaces/a/configmaps').body({ kind: 'ConfigMap' }).do();
      expect(result.statusCode).toBe(201);
      expect(streams).toBe(2);
      // Refused again: the error is the stream's, and nothing is sent a third time.
      streams = 0;
      handle = (stream) => {
        streams++;
        stream.close(constants.NGHTTP2_REFUSED_STREAM);
      };
      const error = await client.post().absPath('/api/v1/namespaces/a/configmaps').body({ kind: 'ConfigMap' }).do().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('ERR_HTTP2_STREAM_ERROR');
      expect(streams).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a body cut short by a connection reset fails the call as a reset, and a GET is sent again', async () => {
    let streams = 0;
    handle = (stream) => {
      streams++;
      const body = '{"kind":"Status","status":"Success"}';
      if (streams % 2 === 0) return respond(stream, { ...json, 'content-length': String(body.length) }, body);
      // Part of the body, then a TCP reset, as @kgo/envtest's FaultProxy does (response-body.test.ts
      // covers the streams Node's client then ends cleanly, which only the length gives away).
      stream.respond({ ...json, 'content-length': String(body.length) });
      stream.write(body.slice(0, 10), () => {
        setTimeout(() => {
          for (const socket of raw) socket.resetAndDestroy();
        }, 20);
      });
    };
    const retrying = new RestClient(config(port));
    const once = new RestClient(config(port, { maxRetries: 0 }));
    try {
      expect((await retrying.get().absPath('/cut').do()).into<{ status: string }>().status).toBe('Success');
      expect(streams).toBe(2);
      const error = await once.get().absPath('/cut').do().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('ECONNRESET');
      expect((error as Error).message).toBe(`GET https://127.0.0.1:${port}/cut: read ECONNRESET (ECONNRESET)`);
    } finally {
      await retrying.close();
      await once.close();
    }
  });
});

describe('HTTP/2: a connection closed (TCP FIN) before the stream’s END_STREAM', () => {
  let server: Http2SecureServer;
  let port: number;
  const raw = new Set<Socket>();
  let handle: (stream: ServerHttp2Stream, path: string) => void = () => {};
  beforeAll(async () => {
    server = createSecureServer(serving);
    server.on('connection', (socket: Socket) => raw.add(socket.once('close', () => raw.delete(socket))));
    server.on('stream', (stream, headers) => {
      stream.on('error', () => {});
      handle(stream, String(headers[':path']));
    });
    port = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  // A plain FIN on the TCP connection, no RST, no GOAWAY: a proxy or load balancer that closed it.
  const finAll = () => {
    for (const socket of raw) socket.end();
  };
  const event = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name } } })}\n`;

  it('a watch ends with a RequestError (unexpected-eof), as over HTTP/1.1; one the server ended stays a clean end', async () => {
    const open: ServerHttp2Stream[] = [];
    handle = (stream) => {
      stream.respond(json);
      stream.write(event('a'));
      open.push(stream);
    };
    const client = new RestClient(config(port));
    try {
      // The server ends the stream (END_STREAM), after two events: a clean end.
      const ended = await client.get().absPath('/api/v1/configmaps').watch<{ metadata: { name: string } }>();
      const names: string[] = [];
      for await (const seen of ended) {
        names.push((seen.object as { metadata: { name: string } }).metadata.name);
        if (names.length === 1) (open.shift() as ServerHttp2Stream).end(event('b'));
      }
      expect(names).toEqual(['a', 'b']);

      // The connection closes between two events, before END_STREAM: the watch broke.
      const cut = await client.get().absPath('/api/v1/configmaps').watch<{ metadata: { name: string } }>();
      const before: string[] = [];
      const error = await (async () => {
        for await (const seen of cut) {
          before.push((seen.object as { metadata: { name: string } }).metadata.name);
          finAll();
        }
      })().catch((e: unknown) => e);
      expect(before).toEqual(['a']);
      expect(RequestError.isInstance(error) && error.code).toBe('unexpected-eof');
      expect((error as Error).message).toMatch(/^GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/configmaps\?watch=true: watch stream broke: unexpected EOF: the connection closed after \d+ bytes of the response body \(unexpected-eof\)$/);
    } finally {
      await client.close();
    }
    // The same over HTTP/1.1, where node:http reports it itself.
    const connections: Socket[] = [];
    const http1 = createHttpServer((req, res) => {
      connections.push(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(event('a'));
    });
    const plain = new RestClient({ host: `http://127.0.0.1:${await listen(http1)}`, qps: -1 });
    try {
      const cut = await plain.get().absPath('/api/v1/configmaps').watch();
      const error = await (async () => {
        for await (const _ of cut) for (const socket of connections) socket.end();
      })().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('ECONNRESET');
    } finally {
      await plain.close();
      http1.close();
    }
  });

  it('a GET whose body has no Content-Length fails as an unexpected EOF, not as a short body, and is sent again', async () => {
    let streams = 0;
    const whole = JSON.stringify({ kind: 'ConfigMapList', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
    handle = (stream) => {
      streams++;
      stream.respond(json);
      if (streams % 2 === 0) return void stream.end(whole);
      // Half the list, then FIN: Node's client ends such a stream as if it were complete.
      stream.write(whole.slice(0, 30), () => setImmediate(finAll));
    };
    const retrying = new RestClient(config(port));
    const once = new RestClient(config(port, { maxRetries: 0 }));
    try {
      expect((await retrying.get().absPath('/api/v1/configmaps').do()).into<{ items: unknown[] }>().items).toHaveLength(2);
      expect(streams).toBe(2);
      const error = await once.get().absPath('/api/v1/configmaps').do().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('unexpected-eof');
    } finally {
      await retrying.close();
      await once.close();
    }
  });
});

describe('HTTP/1.1 request bodies', () => {
  it('sends a DELETE’s body with its length (node:http would send it unframed, and the server reads none)', async () => {
    const seen: { length: string | undefined; body: string }[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ length: req.headers['content-length'], body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Status"}');
      });
    });
    const client = new RestClient({ host: `http://127.0.0.1:${await listen(server)}`, qps: -1 });
    try {
      await client.delete().absPath('/api/v1/namespaces/a/pods/b').body({ kind: 'DeleteOptions', gracePeriodSeconds: 0 }).do();
      expect(seen).toEqual([{ length: '47', body: '{"kind":"DeleteOptions","gracePeriodSeconds":0}' }]);
    } finally {
      await client.close();
      server.close();
    }
  });
});

describe('proxies that want credentials', () => {
  let target: HttpServer;
  let targetPort: number;
  beforeAll(async () => {
    target = createHttpServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Status"}'));
    targetPort = await listen(target);
  });
  afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

  it('SOCKS5 with a user name and password (RFC 1929); a wrong password is refused, without echoing it', async () => {
    const seen: string[] = [];
    const proxy = createServer((client: Socket) => {
      client.once('data', (greeting: Buffer) => {
        seen.push(`methods ${[...greeting.subarray(2)].join(',')}`);
        client.write(Buffer.from([5, 2]));
        client.once('data', (auth: Buffer) => {
          const user = auth.subarray(2, 2 + (auth[1] ?? 0)).toString();
          const pass = auth.subarray(3 + (auth[1] ?? 0)).toString();
          const ok = user === 'jane' && pass === 's3cret:pw';
          client.write(Buffer.from([1, ok ? 0 : 1]));
          if (!ok) return void client.end();
          client.once('data', (request: Buffer) => {
            const port = request.readUInt16BE(request.length - 2);
            const upstream = connect(port, '127.0.0.1', () => {
              client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
              upstream.pipe(client).pipe(upstream);
            });
            upstream.on('error', () => client.destroy());
          });
        });
      });
      client.on('error', () => {});
    });
    const proxyPort = await listen(proxy);
    const host = `http://127.0.0.1:${targetPort}`;
    const good = new RestClient({ host, qps: -1, proxyUrl: `socks5://jane:s3cret%3Apw@127.0.0.1:${proxyPort}` });
    const bad = new RestClient({ host, qps: -1, maxRetries: 0, proxyUrl: `socks5://jane:wrong-password@127.0.0.1:${proxyPort}` });
    try {
      expect((await good.get().absPath('/x').do()).into<{ kind: string }>().kind).toBe('Status');
      expect(seen[0]).toBe('methods 0,2');
      const error = await bad.get().absPath('/x').do().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('proxy-tunnel-failed');
      expect((error as Error).message).toContain(`the SOCKS5 proxy socks5://***@127.0.0.1:${proxyPort}`);
      expect((error as Error).message).toContain('refused the user name and password');
      expect(String((error as Error).message)).not.toContain('wrong-password');
    } finally {
      await good.close();
      await bad.close();
      proxy.close();
    }
  });

  it('an HTTP CONNECT proxy gets Basic credentials; its 407 says what to set, without echoing them', async () => {
    const authorizations: (string | undefined)[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (request, client: Socket) => {
      authorizations.push(request.headers['proxy-authorization']);
      if (request.headers['proxy-authorization'] !== `Basic ${Buffer.from('jane:pw').toString('base64')}`) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
    });
    const proxyPort = await listen(proxy);
    const host = `http://127.0.0.1:${targetPort}`;
    const good = new RestClient({ host, qps: -1, proxyUrl: `http://jane:pw@127.0.0.1:${proxyPort}` });
    const anonymous = new RestClient({ host, qps: -1, maxRetries: 0, proxyUrl: `http://127.0.0.1:${proxyPort}` });
    try {
      expect((await good.get().absPath('/x').do()).into<{ kind: string }>().kind).toBe('Status');
      const error = await anonymous.get().absPath('/x').do().catch((e: unknown) => e);
      expect(RequestError.isInstance(error) && error.code).toBe('proxy-tunnel-failed');
      expect((error as Error).message).toContain(`refused to CONNECT to 127.0.0.1:${targetPort}: "HTTP/1.1 407 Proxy Authentication Required": the proxy wants credentials`);
      expect(authorizations).toEqual([`Basic ${Buffer.from('jane:pw').toString('base64')}`, undefined]);
    } finally {
      await good.close();
      await anonymous.close();
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});

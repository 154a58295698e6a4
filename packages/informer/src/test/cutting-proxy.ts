/*
 * A TLS-terminating HTTP proxy on loopback between a client under test and the real API server,
 * for the faults a real server will not produce on demand:
 * - cut every watch stream after N events (the client sees the connection drop mid-stream);
 * - hold watch streams silent: the connection stays open, nothing more is forwarded;
 * - refuse connections (each new TCP connection is dropped at once, and open ones are closed);
 * - answer chosen requests itself (a 410 for a watch, an expired continue token for a page).
 * It records every request, so tests can count LISTs and watches on the wire.
 *
 * The client talks TLS to the proxy (its own CA, made with envtest's openssl helpers) without
 * credentials; the proxy talks TLS to the API server as the test cluster's admin. Watch
 * responses are asked for uncompressed so events can be counted (the API server ends each with
 * a newline).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type TestCluster } from '@kgo/envtest';

/** What kind of request the proxy saw. */
export type ProxiedKind = 'list' | 'watch' | 'watch-list' | 'get' | 'write';

/** One request the proxy saw. */
export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  kind: ProxiedKind;
  /** performance.now() when it arrived. */
  at: number;
  /** True when an injected answer replaced the server's. */
  injected: boolean;
}

/** A canned answer for requests matching `match`. */
export interface Injection {
  match: (request: ProxiedRequest) => boolean;
  /** How many matching requests it answers (default 1). */
  times?: number | undefined;
  /** An HTTP status with a JSON body, or a 200 watch stream of these events (then ended). */
  respond: { status: number; body: unknown } | { watchEvents: unknown[] };
}

interface WatchEntry {
  res: ServerResponse;
  upstream: IncomingMessage;
  events: number;
  cutAfter: number | undefined;
  held: boolean;
}

/** The connection settings a client needs to reach the cluster through the proxy (a RestConfig). */
export interface ProxyRestConfig {
  host: string;
  tls: { caData: string };
  qps: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** See the file comment. Start with {@link CuttingProxy.start}, end with {@link CuttingProxy.close}. */
export class CuttingProxy {
  readonly requests: ProxiedRequest[] = [];
  /** TCP connections dropped while refusing. */
  refusedConnections = 0;
  /** Watch streams cut. */
  cuts = 0;
  /** Watch events forwarded, all streams together. */
  eventsForwarded = 0;
  readonly #server: Server;
  readonly #cluster: TestCluster;
  readonly #caCert: string;
  readonly #agent: Agent;
  readonly #sockets = new Set<Socket>();
  readonly #watches = new Set<WatchEntry>();
  #injections: Injection[] = [];
  #cutRange: [number, number] | undefined;
  #refusing = false;
  #holdNew = false;
  readonly #dir: string;

  private constructor(server: Server, cluster: TestCluster, caCert: string, dir: string) {
    this.#server = server;
    this.#cluster = cluster;
    this.#caCert = caCert;
    this.#dir = dir;
    const { cert, key } = cluster.admin;
    this.#agent = new Agent({ keepAlive: true, ca: cluster.caCert, ...(cert && key ? { cert, key } : {}) });
    server.on('connection', (socket: Socket) => {
      if (this.#refusing) {
        this.refusedConnections++;
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#handle(req, res));
  }

  /** Starts a proxy in front of `cluster` on a free loopback port. */
  static async start(cluster: TestCluster): Promise<CuttingProxy> {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-cutting-proxy-'));
    const ca = await createCertificateAuthority(dir, 'proxy-ca', 'kgo-cutting-proxy-ca');
    const serving = await issueCertificate(dir, 'proxy', ca, { commonName: 'kgo-cutting-proxy', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server' });
    const server = createServer({ cert: serving.cert, key: serving.key, keepAlive: true });
    const proxy = new CuttingProxy(server, cluster, ca.cert, dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `https://127.0.0.1:<port>` */
  get url(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** A RestConfig for reaching the cluster through the proxy (the proxy authenticates upstream). */
  restConfig(): ProxyRestConfig {
    return { host: this.url, tls: { caData: this.#caCert }, qps: -1 };
  }

  /** Cut each watch stream after a number of events drawn from [min, max] (undefined: never). */
  cutWatchesAfter(range: [min: number, max: number] | undefined): void {
    this.#cutRange = range;
  }

  /** Silences every open watch stream (the connection stays open); with `andNew`, watches opened later too. */
  holdWatches(andNew = false): number {
    this.#holdNew = andNew;
    let held = 0;
    for (const entry of this.#watches) {
      entry.held = true;
      held++;
    }
    return held;
  }

  /** Lets new watches through again (held ones stay silent). */
  releaseNewWatches(): void {
    this.#holdNew = false;
  }

  /** While on, every new connection is dropped at once; turning it on also closes every open connection. */
  refuse(on: boolean): void {
    this.#refusing = on;
    if (on) for (const socket of this.#sockets) socket.destroy();
  }

  /** Answers matching requests with a canned response instead of the server's. */
  inject(injection: Injection): void {
    this.#injections.push({ ...injection, times: injection.times ?? 1 });
  }

  /** Requests of a kind (optionally since a time). */
  count(kind: ProxiedKind, since = 0): number {
    return this.requests.filter((r) => r.kind === kind && r.at >= since).length;
  }

  /** Open watch streams. */
  get openWatches(): number {
    return this.#watches.size;
  }

  async close(): Promise<void> {
    this.#refusing = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#agent.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.#dir, { recursive: true, force: true });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, kind: kindOf(req.method ?? 'GET', url), at: performance.now(), injected: false };
    this.requests.push(record);
    const injection = this.#injections.find((candidate) => (candidate.times ?? 0) > 0 && candidate.match(record));
    if (injection) {
      injection.times = (injection.times ?? 1) - 1;
      record.injected = true;
      req.resume();
      const { respond } = injection;
      if ('watchEvents' in respond) {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (const event of respond.watchEvents) res.write(`${JSON.stringify(event)}\n`);
        res.end();
      } else {
        res.writeHead(respond.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(respond.body));
      }
      return;
    }
    const target = new URL(this.#cluster.server);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && name !== 'host' && name !== 'authorization') headers[name] = value;
    headers['accept-encoding'] = 'identity';
    if (this.#cluster.admin.token) headers.authorization = `Bearer ${this.#cluster.admin.token}`;
    const watching = record.kind === 'watch' || record.kind === 'watch-list';
    const upstream = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      // A watch gets a connection of its own, so cutting it touches nothing else.
      agent: watching ? new Agent({ keepAlive: false, ca: this.#cluster.caCert, ...adminTls(this.#cluster) }) : this.#agent,
    });
    req.pipe(upstream);
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`cutting proxy: upstream failed: ${error.message}`);
      } else {
        res.destroy();
      }
    });
    upstream.on('response', (response) => {
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      if (!watching || (response.statusCode ?? 0) !== 200) {
        res.writeHead(response.statusCode ?? 502, out);
        response.pipe(res);
        return;
      }
      delete out['content-length'];
      res.writeHead(200, out);
      res.flushHeaders();
      const entry: WatchEntry = { res, upstream: response, events: 0, cutAfter: this.#drawCut(), held: this.#holdNew };
      this.#watches.add(entry);
      let pending: Buffer = Buffer.alloc(0);
      response.on('data', (chunk: Buffer) => {
        if (entry.held || res.destroyed) return;
        pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        let newline: number;
        while ((newline = pending.indexOf(0x0a, start)) !== -1) {
          const line = pending.subarray(start, newline + 1);
          start = newline + 1;
          entry.events++;
          this.eventsForwarded++;
          if (entry.cutAfter !== undefined && entry.events >= entry.cutAfter) {
            // Cut once the N-th event has reached the client: the connection drops without an end.
            this.cuts++;
            this.#watches.delete(entry);
            entry.held = true;
            response.destroy();
            res.write(line, () => res.socket?.destroy());
            return;
          }
          res.write(line);
        }
        pending = pending.subarray(start);
      });
      response.on('end', () => {
        this.#watches.delete(entry);
        if (!entry.held) res.end();
      });
      response.on('error', () => {
        this.#watches.delete(entry);
        res.destroy();
      });
      res.on('close', () => this.#watches.delete(entry));
    });
  }

  #drawCut(): number | undefined {
    if (!this.#cutRange) return undefined;
    const [min, max] = this.#cutRange;
    return min + Math.floor(Math.random() * (max - min + 1));
  }
}

function adminTls(cluster: TestCluster): { cert?: string; key?: string } {
  const { cert, key } = cluster.admin;
  return cert && key ? { cert, key } : {};
}

/** Classifies a request: watches by their query, lists by a collection path (no object name after the resource). */
function kindOf(method: string, url: URL): ProxiedKind {
  if (method !== 'GET') return 'write';
  const watch = url.searchParams.get('watch');
  if (watch === 'true' || watch === '1') return url.searchParams.get('sendInitialEvents') === 'true' ? 'watch-list' : 'watch';
  // /api/v1[/namespaces/<ns>]/<resource>[/<name>...] or /apis/<group>/<version>[/namespaces/<ns>]/<resource>[/<name>...]
  const segments = url.pathname.split('/').filter(Boolean);
  let rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  return rest.length === 1 ? 'list' : 'get';
}

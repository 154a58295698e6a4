/*
 * A TLS-terminating proxy on loopback between a client under test and a test cluster, for the
 * faults a real API server will not produce on demand. The client talks TLS to the proxy (its own
 * CA, made with envtest's openssl helpers; HTTP/2 or HTTP/1.1 by ALPN) without credentials; the
 * proxy talks TLS to the API server as the cluster's admin. Responses are asked for uncompressed,
 * so bodies can be cut and watch events counted (the API server ends each event with a newline).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { constants as http2Constants, createSecureServer, type Http2SecureServer, type Http2ServerRequest } from 'node:http2';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from './certificates.ts';
import { type FaultKind, type FaultRates, pickFault, resolveSeed, seededRandom, validateRates } from './fault-plan.ts';
import { kindOf, type ProxiedKind } from './request-kind.ts';
import { type SilencedPort, silencePort } from './silent-port.ts';
import type { TestCluster } from './test-cluster.ts';

/** One request the proxy saw, and what it did to it. */
export interface FaultRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  kind: ProxiedKind;
  /** `performance.now()` when it arrived. */
  at: number;
  /** True when a canned answer ({@link FaultProxy.inject}) replaced the server's. */
  injected: boolean;
  /** The fault drawn for it, if any. */
  fault: FaultKind | undefined;
  /** True once the request was sent on to the API server (it may have acted on it). */
  forwarded: boolean;
  /** The API server's status, once it answered. */
  upstreamStatus: number | undefined;
  /** True when the whole response was handed to the client's connection. */
  delivered: boolean;
}

/** A canned answer for requests matching `match`. */
export interface Injection {
  match: (request: FaultRecord) => boolean;
  /** How many matching requests it answers (default 1). */
  times?: number | undefined;
  /** An HTTP status with a JSON body, or a 200 watch stream of these events (then ended). */
  respond: { status: number; body: unknown } | { watchEvents: unknown[] };
}

/** Options of {@link FaultProxy.start}. */
export interface FaultProxyOptions {
  /** PRNG seed; default `KGO_FAULT_SEED`, else random. Read it back from {@link FaultProxy.seed}. */
  seed?: number | undefined;
  /** Per-request probability of each fault (see {@link FaultKind}); default none. */
  rates?: FaultRates | undefined;
  /** Which requests faults may hit (default: every request but watches, which {@link FaultProxy.cutWatchesAfter} handles). */
  applies?: ((request: FaultRecord) => boolean) | undefined;
  /** How long a `stall` holds the response before resetting the connection (default 1000 ms). */
  stallMs?: number | undefined;
  /** `slow-body` pacing (default 64 bytes every 20 ms). */
  slowBody?: { chunkBytes: number; delayMs: number } | undefined;
  /** The `Retry-After` of the `-retry-after` faults, in seconds (default 1). */
  retryAfterSeconds?: number | undefined;
  /** Offer HTTP/2 to clients (default true, as kube-apiserver); false: HTTP/1.1 only. */
  http2?: boolean | undefined;
}

/** The connection settings a client needs to reach the cluster through the proxy (a `@kgo/rest` RestConfig). */
export interface FaultProxyRestConfig {
  host: string;
  tls: { caData: string };
  qps: number;
}

type ProxyRequest = IncomingMessage | Http2ServerRequest;
type ProxyResponse = {
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: Buffer | string, callback?: () => void): boolean;
  end(chunk?: Buffer | string): unknown;
  flushHeaders?(): void;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed?: boolean;
  on(event: 'close', listener: () => void): unknown;
};

interface WatchEntry {
  upstream: IncomingMessage;
  events: number;
  cutAfter: number | undefined;
  held: boolean;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'host']);
const STATUS_REASONS: Record<number, string> = { 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };

/**
 * A fault-injecting proxy in front of a {@link TestCluster}: resets, stalls, slow and truncated
 * bodies, GOAWAY, 429/500/503 with and without `Retry-After` (each at a rate, from a seeded PRNG
 * so a failing run replays with `KGO_FAULT_SEED`), watch streams cut after N events or held
 * silent, refused connections and canned answers. It records every request and what it did.
 *
 * @example
 * ```ts
 * import { FaultProxy, spreadRates } from '@kgo/envtest';
 * import { testCluster } from '@kgo/envtest/vitest';
 *
 * const proxy = await FaultProxy.start(testCluster(), { rates: spreadRates(0.05) });
 * const client = new RestClient(proxy.restConfig(), { groupVersion: { group: '', version: 'v1' } });
 * // ... exercise the client; on failure print proxy.describe() (the seed replays the run)
 * await proxy.close();
 * ```
 */
export class FaultProxy {
  /** Every request so far, in arrival order. */
  readonly requests: FaultRecord[] = [];
  /** How many times each fault was injected. */
  readonly injectedFaults: Partial<Record<FaultKind, number>> = {};
  /** TCP connections dropped while refusing. */
  refusedConnections = 0;
  /** Watch streams cut. */
  cuts = 0;
  /** Watch events forwarded, all streams together. */
  eventsForwarded = 0;
  /** The PRNG seed: `KGO_FAULT_SEED=<seed>` replays a run (given the same request order). */
  readonly seed: number;
  readonly #server: Server | Http2SecureServer;
  readonly #cluster: TestCluster;
  readonly #caCert: string;
  readonly #agent: Agent;
  readonly #random: () => number;
  readonly #options: FaultProxyOptions;
  readonly #sockets = new Map<number, Socket>();
  readonly #watches = new Set<WatchEntry>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The highest stream id each HTTP/2 session has opened (GOAWAY names it: every stream seen is processed). */
  readonly #lastStreamIds = new WeakMap<object, number>();
  #rates: FaultRates;
  #injections: Injection[] = [];
  #queued: FaultKind[] = [];
  #cutRange: [number, number] | undefined;
  #refusing = false;
  #holdNew = false;
  #silenced: SilencedPort | undefined;
  readonly #dir: string;

  private constructor(server: Server | Http2SecureServer, cluster: TestCluster, caCert: string, dir: string, options: FaultProxyOptions) {
    this.#server = server;
    this.#cluster = cluster;
    this.#caCert = caCert;
    this.#dir = dir;
    this.#options = options;
    this.#rates = options.rates ?? {};
    validateRates(this.#rates);
    this.seed = resolveSeed(options.seed);
    this.#random = seededRandom(this.seed);
    this.#agent = new Agent({ keepAlive: true, ca: cluster.caCert, ...adminTls(cluster) });
    // The raw TCP socket (before TLS), so a fault can reset it.
    server.on('connection', (socket: Socket) => {
      if (this.#refusing) {
        this.refusedConnections++;
        socket.destroy();
        return;
      }
      const port = socket.remotePort ?? 0;
      this.#sockets.set(port, socket);
      socket.on('close', () => this.#sockets.delete(port));
    });
    server.on('request', (req: ProxyRequest, res: ProxyResponse) => this.#handle(req, res));
  }

  /** Starts a proxy in front of `cluster` on a free loopback port. */
  static async start(cluster: TestCluster, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-fault-proxy-'));
    const ca = await createCertificateAuthority(dir, 'proxy-ca', 'kgo-fault-proxy-ca');
    const serving = await issueCertificate(dir, 'proxy', ca, { commonName: 'kgo-fault-proxy', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server' });
    const server =
      options.http2 === false
        ? createServer({ cert: serving.cert, key: serving.key, keepAlive: true })
        : createSecureServer({ cert: serving.cert, key: serving.key, allowHTTP1: true });
    const proxy = new FaultProxy(server, cluster, ca.cert, dir, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `https://127.0.0.1:<port>` */
  get url(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The proxy's CA (PEM): clients must trust it. */
  get caCert(): string {
    return this.#caCert;
  }

  /** A RestConfig for reaching the cluster through the proxy (the proxy authenticates upstream; no client rate limit). */
  restConfig(): FaultProxyRestConfig {
    return { host: this.url, tls: { caData: this.#caCert }, qps: -1 };
  }

  /** The seed and the faults so far, for a failure message: `KGO_FAULT_SEED=<seed>` replays the run. */
  describe(): string {
    const faults = Object.entries(this.injectedFaults).map(([kind, n]) => `${kind}=${n}`).join(' ');
    return `fault proxy: seed ${this.seed} (replay with KGO_FAULT_SEED=${this.seed}); ${this.requests.length} requests; faults: ${faults || 'none'}; watch cuts: ${this.cuts}`;
  }

  /** Changes the fault rates from now on. */
  setRates(rates: FaultRates): void {
    validateRates(rates);
    this.#rates = rates;
  }

  /**
   * The next eligible requests get these faults, in order, whatever the draw says: to be sure
   * every kind is met in a short run. The draws still happen, so the seeded sequence is unchanged.
   */
  injectNext(...faults: FaultKind[]): void {
    validateRates(Object.fromEntries(faults.map((fault) => [fault, 0])));
    this.#queued.push(...faults);
  }

  /** Cut each watch stream after a number of events drawn from [min, max] (undefined: never). */
  cutWatchesAfter(range: [min: number, max: number] | undefined): void {
    this.#cutRange = range;
  }

  /** Silences every open watch stream (the connection stays open); with `andNew`, watches opened later too. Returns how many. */
  holdWatches(andNew = false): number {
    this.#holdNew = andNew;
    for (const entry of this.#watches) entry.held = true;
    return this.#watches.size;
  }

  /** Lets new watches through again (held ones stay silent). */
  releaseNewWatches(): void {
    this.#holdNew = false;
  }

  /** While on, every new connection is dropped at once; turning it on also closes every open connection. */
  refuse(on: boolean): void {
    this.#refusing = on;
    if (on) for (const socket of this.#sockets.values()) socket.destroy();
  }

  /**
   * Makes the proxy's client side a dead network from now on: no packet to or from its port gets
   * through (no byte, ACK, FIN or RST), so open connections go silent and new ones cannot connect,
   * until {@link FaultProxy.unsilence} or {@link FaultProxy.close}. Unlike {@link FaultProxy.holdWatches},
   * the kernel stops answering TCP keep-alive probes too. Needs CAP_NET_ADMIN and iproute2
   * ({@link silencePort}); throws an `EnvtestError` saying so otherwise.
   */
  async silence(): Promise<void> {
    this.#silenced ??= await silencePort((this.#server.address() as AddressInfo).port);
  }

  /** Lets the proxy's traffic through again after {@link FaultProxy.silence}. */
  async unsilence(): Promise<void> {
    const silenced = this.#silenced;
    this.#silenced = undefined;
    await silenced?.restore();
  }

  /** Answers matching requests with a canned response instead of the server's. */
  inject(injection: Injection): void {
    this.#injections.push({ ...injection, times: injection.times ?? 1 });
  }

  /** Requests of a kind (optionally since a `performance.now()` time). */
  count(kind: ProxiedKind, since = 0): number {
    return this.requests.filter((r) => r.kind === kind && r.at >= since).length;
  }

  /** Open watch streams. */
  get openWatches(): number {
    return this.#watches.size;
  }

  /** Lifts a {@link FaultProxy.silence}, stops listening, drops every connection and removes the proxy's certificates. */
  async close(): Promise<void> {
    await this.unsilence();
    this.#refusing = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of this.#sockets.values()) socket.destroy();
    this.#agent.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.#dir, { recursive: true, force: true });
  }

  #handle(req: ProxyRequest, res: ProxyResponse): void {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const method = req.method ?? 'GET';
    const record: FaultRecord = {
      method,
      path: url.pathname,
      query: url.searchParams,
      kind: kindOf(method, url),
      at: performance.now(),
      injected: false,
      fault: undefined,
      forwarded: false,
      upstreamStatus: undefined,
      delivered: false,
    };
    this.requests.push(record);
    const stream = (req as Http2ServerRequest).stream;
    if (stream?.session) this.#lastStreamIds.set(stream.session, Math.max(stream.id ?? 0, this.#lastStreamIds.get(stream.session) ?? 0));
    const injection = this.#injections.find((candidate) => (candidate.times ?? 0) > 0 && candidate.match(record));
    if (injection) {
      injection.times = (injection.times ?? 1) - 1;
      record.injected = true;
      req.resume();
      respondCanned(res, injection.respond);
      record.delivered = true;
      return;
    }
    const watching = record.kind === 'watch' || record.kind === 'watch-list';
    const eligible = this.#options.applies ? this.#options.applies(record) : !watching;
    // One draw per request, eligible or not, so the sequence does not depend on `applies`.
    const drawn = pickFault(this.#rates, this.#random());
    const fault = eligible ? (this.#queued.shift() ?? drawn) : undefined;
    if (fault) {
      record.fault = fault;
      this.injectedFaults[fault] = (this.injectedFaults[fault] ?? 0) + 1;
    }
    if (record.fault === 'reset') {
      req.resume();
      this.#reset(req);
      return;
    }
    const status = record.fault ? /^(\d{3})(-retry-after)?$/.exec(record.fault) : null;
    if (status) {
      req.resume();
      const code = Number(status[1]);
      const headers: OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (status[2]) headers['retry-after'] = String(this.#options.retryAfterSeconds ?? 1);
      res.writeHead(code, headers);
      res.end(JSON.stringify(faultStatus(code, record.fault as FaultKind)));
      record.delivered = true;
      return;
    }
    this.#forward(req, res, record, watching);
  }

  #forward(req: ProxyRequest, res: ProxyResponse, record: FaultRecord, watching: boolean): void {
    const target = new URL(this.#cluster.server);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && !name.startsWith(':') && name !== 'authorization') headers[name] = value;
    }
    headers['accept-encoding'] = 'identity';
    if (this.#cluster.admin.token) headers.authorization = `Bearer ${this.#cluster.admin.token}`;
    const upstream = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      // A watch gets a connection of its own, so cutting it touches nothing else.
      agent: watching ? new Agent({ keepAlive: false, ca: this.#cluster.caCert, ...adminTls(this.#cluster) }) : this.#agent,
    });
    record.forwarded = true;
    req.pipe(upstream);
    res.on('close', () => {
      if (!res.writableEnded) upstream.destroy();
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream failed: ${error.message}`);
      } else {
        this.#reset(req);
      }
    });
    upstream.on('response', (response) => {
      record.upstreamStatus = response.statusCode;
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      if (watching && response.statusCode === 200) {
        this.#streamWatch(req, res, response, out);
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => this.#reset(req));
      response.on('end', () => void this.#respond(req, res, record, response.statusCode ?? 502, out, Buffer.concat(chunks)));
    });
  }

  /** Sends a buffered upstream response to the client, through the request's fault. */
  async #respond(req: ProxyRequest, res: ProxyResponse, record: FaultRecord, status: number, headers: OutgoingHttpHeaders, body: Buffer): Promise<void> {
    headers['content-length'] = String(body.length);
    switch (record.fault) {
      case 'reset-after-forward':
        this.#reset(req);
        return;
      case 'stall':
        await this.#sleep(this.#options.stallMs ?? 1000);
        this.#reset(req);
        return;
      case 'truncated-body':
        res.writeHead(status, headers);
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => this.#reset(req));
        return;
      case 'slow-body': {
        const { chunkBytes, delayMs } = this.#options.slowBody ?? { chunkBytes: 64, delayMs: 20 };
        res.writeHead(status, headers);
        for (let offset = 0; offset < body.length; offset += chunkBytes) {
          if (res.destroyed) return;
          res.write(body.subarray(offset, offset + chunkBytes));
          await this.#sleep(delayMs);
        }
        break;
      }
      case 'goaway': {
        const stream = (req as Http2ServerRequest).stream;
        if (stream) {
          // GOAWAY naming the last stream the proxy has seen (as Go's server does): every stream already
          // forwarded is answered; streams the client opened after it were never seen and must be replayed elsewhere.
          if (stream.session) stream.session.goaway(http2Constants.NGHTTP2_NO_ERROR, this.#lastStreamIds.get(stream.session) ?? stream.id ?? 0);
          res.writeHead(status, headers);
          res.write(body);
          res.end();
          record.delivered = true;
          stream.session?.close();
          return;
        }
        res.writeHead(status, { ...headers, connection: 'close' });
        res.write(body);
        break;
      }
      default:
        res.writeHead(status, headers);
        res.write(body);
    }
    res.end();
    record.delivered = true;
  }

  #streamWatch(req: ProxyRequest, res: ProxyResponse, response: IncomingMessage, headers: OutgoingHttpHeaders): void {
    delete headers['content-length'];
    res.writeHead(200, headers);
    res.flushHeaders?.();
    const entry: WatchEntry = { upstream: response, events: 0, cutAfter: this.#drawCut(), held: this.#holdNew };
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
          // Cut once the N-th event has reached the client: the stream drops without an end.
          this.cuts++;
          this.#watches.delete(entry);
          entry.held = true;
          response.destroy();
          res.write(line, () => this.#cutStream(req));
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
      this.#cutStream(req);
    });
    res.on('close', () => {
      this.#watches.delete(entry);
      response.destroy();
    });
  }

  /** Ends one stream abruptly: on HTTP/2 a RST_STREAM (other streams live on), on HTTP/1.1 the connection. */
  #cutStream(req: ProxyRequest): void {
    const stream = (req as Http2ServerRequest).stream;
    if (stream) stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
    else req.socket.destroy();
  }

  /** Resets the request's TCP connection (RST, not FIN), which ends every stream on it. */
  #reset(req: ProxyRequest): void {
    const raw = this.#sockets.get(req.socket.remotePort ?? -1);
    try {
      if (raw) raw.resetAndDestroy();
      else req.socket.destroy();
    } catch {
      req.socket.destroy();
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  #drawCut(): number | undefined {
    if (!this.#cutRange) return undefined;
    const [min, max] = this.#cutRange;
    return min + Math.floor(this.#random() * (max - min + 1));
  }
}

function adminTls(cluster: TestCluster): { cert?: string; key?: string } {
  const { cert, key } = cluster.admin;
  return cert && key ? { cert, key } : {};
}

function faultStatus(code: number, fault: FaultKind): object {
  const reason = STATUS_REASONS[code] ?? 'InternalError';
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `fault proxy: injected ${fault}`, reason, code };
}

function respondCanned(res: ProxyResponse, respond: Injection['respond']): void {
  if ('watchEvents' in respond) {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const event of respond.watchEvents) res.write(`${JSON.stringify(event)}\n`);
    res.end();
  } else {
    res.writeHead(respond.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(respond.body));
  }
}

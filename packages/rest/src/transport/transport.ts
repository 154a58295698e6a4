import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { KyInstance } from 'ky';
import type { ConnectionPool, PoolRequest } from './connection-pool.ts';
import type { DialOptions } from './dial.ts';
import { ConnectionPool as Pool, createDecoder, decode, ky, loadHttpLayer } from './http-layer.ts';
import { http2Settings, type Http2Settings } from './http2-settings.ts';
import { impersonationHeaders } from './impersonation.ts';
import { headerPairs, headerValue } from './response-headers.ts';
import { redactUrl } from '../utils/redact-url.ts';
import type { RestConfig } from '../rest-config.ts';

/*
 * The HTTP transport: the only module that knows ky and the connection pool (ky and Node's
 * network modules load on the first request, see http-layer.ts). The rest of the package talks to
 * it through TransportRequest / TransportResponse.
 *
 * ky is the entry of every exchange and is used only as its documentation says: ky builds its
 * Request (method and URL), runs kgo's one `beforeRequest` hook, which sends the exchange through
 * the connection pool and returns a real `Response` ("It can also return a Response to completely
 * avoid making an HTTP request"), and hands that Response back. The exchange (headers, body,
 * signal, as the executor made them) reaches the hook in ky's documented `context` option.
 * kgo uses none of ky's retries, timeouts or body helpers (the executor applies client-go's
 * rules). The pool (connection-pool.ts: node:http and node:http2 over connections kgo dials with
 * the config's TLS material, keep-alive and proxy) rather than `fetch`: Node's bundled fetch
 * cannot be given a CA, a client certificate or a proxy without npm undici (most of an app's
 * bundle), and kgo needs none of fetch's machinery (redirects, CORS, cache modes).
 * The Response's body is the pool's, decoded from its Content-Encoding: for calls, the whole body,
 * collected as it arrived, as one chunk; for watches and logs, the stream as it arrives.
 * What each path costs: docs/rest.md, "Transport".
 */

/** One HTTP exchange, as the executor hands it to the transport. */
export interface TransportRequest {
  method: string;
  url: URL;
  /** Every header to send, names lower case (impersonation headers are added below). */
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
  signal: AbortSignal | undefined;
  /** The client certificate to present (from a credential provider); selects the connection pool. */
  clientCertificate?: ClientCertificate | undefined;
}

/** The answer: status and headers, and the body decoded from its Content-Encoding. */
export interface TransportResponse {
  status: number;
  /** As received (no Content-Encoding or Content-Length once the body was decoded). */
  headers: Headers;
}

/** A response whose whole body has been read. */
export interface BufferedResponse extends TransportResponse {
  body: Uint8Array;
}

/** A response whose body is still arriving (watches, logs); null for a status that has no body (204). */
export interface StreamingResponse extends TransportResponse {
  body: ReadableStream<Uint8Array> | null;
}

/** What the `beforeRequest` hook finds in ky's `context`: the exchange, and whether to read its body whole. */
interface Exchange {
  request: TransportRequest;
  buffer: boolean;
}

// Statuses whose response carries no body (the Response constructor refuses one for these).
const NULL_BODY_STATUS = new Set([204, 205, 304]);

/** A client certificate presented in the TLS handshake. */
export interface ClientCertificate {
  certData: string;
  keyData: string;
}

/**
 * One connection pool (plus one per distinct exec-plugin client certificate) for a RestConfig,
 * owned by one HttpClient.
 */
export class Transport {
  readonly #config: RestConfig;
  readonly #pools = new Map<string, ConnectionPool>();
  #defaultPool: ConnectionPool | undefined;
  readonly #impersonation: Record<string, string[]>;
  readonly #http2: Http2Settings;
  readonly #proxy: URL | undefined;
  #ky: KyInstance | undefined;

  constructor(config: RestConfig) {
    this.#config = config;
    if (config.tls?.insecure && config.tls.caData) {
      throw new TypeError(
        `RestConfig for ${config.host}: specifying a root certificates file with the insecure flag is not allowed (set tls.caData or tls.insecure, not both)`,
      );
    }
    this.#impersonation = impersonationHeaders(config.impersonate);
    this.#proxy = config.proxyUrl ? proxyUrl(config.proxyUrl) : undefined;
    this.#http2 = http2Settings(config);
  }

  /** The pool for requests made with `clientCertificate` (or the config's own certificate). */
  #pool(clientCertificate?: ClientCertificate): ConnectionPool {
    // The common case, asked on every request: no certificate from a provider.
    if (!clientCertificate) return (this.#defaultPool ??= this.#poolFor(undefined));
    return this.#poolFor(clientCertificate);
  }

  #poolFor(clientCertificate: ClientCertificate | undefined): ConnectionPool {
    const tls = this.#config.tls ?? {};
    const cert = clientCertificate ?? (tls.certData && tls.keyData ? { certData: tls.certData, keyData: tls.keyData } : undefined);
    const key = cert ? createHash('sha256').update(cert.certData).update('\0').update(cert.keyData).digest('hex') : '';
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = this.#createPool(cert);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #createPool(cert: ClientCertificate | undefined): ConnectionPool {
    const tls = this.#config.tls ?? {};
    const dial: DialOptions = {
      tls: {
        ca: tls.caData,
        cert: cert?.certData,
        key: cert?.keyData,
        servername: tls.serverName,
        rejectUnauthorized: tls.insecure !== true,
      },
      proxy: this.#proxy,
      keepAliveInitialDelayMs: TCP_KEEP_ALIVE_IDLE_MS,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    };
    return new Pool({ dial, http2: this.#http2, clientCertificate: cert !== undefined, idleTimeoutMs: IDLE_CONNECTION_TIMEOUT_MS });
  }

  /** Sends a request and reads the whole (decoded) body. */
  async send(request: TransportRequest): Promise<BufferedResponse> {
    const response = await this.#exchange(request, true);
    return { status: response.status, headers: response.headers, body: response.body ? await readWhole(response.body) : new Uint8Array() };
  }

  /** Sends a request and hands back the body as a stream. */
  async open(request: TransportRequest): Promise<StreamingResponse> {
    const response = await this.#exchange(request, false);
    return { status: response.status, headers: response.headers, body: response.body };
  }

  /** The exchange through ky: its Request, kgo's hook, the Response the hook made. */
  async #exchange(request: TransportRequest, buffer: boolean): Promise<Response> {
    const ky = this.#ky ?? (await this.#createKy());
    const context: { exchange: Exchange } = { exchange: { request, buffer } };
    return ky(request.url, { method: request.method, context });
  }

  /** The ky instance, once ky and the network modules are loaded (on the first request). */
  async #createKy(): Promise<KyInstance> {
    await loadHttpLayer();
    // Options fixed once per client. ky's own retries and timeouts stay off: the executor
    // applies client-go's rules itself; an error status is an answer, not a throw.
    this.#ky ??= ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      hooks: { beforeRequest: [({ options }) => this.#send(options.context.exchange as Exchange)] },
    });
    return this.#ky;
  }

  /**
   * kgo's `beforeRequest` hook: sends the exchange through the right connection pool and answers
   * with a Response. ky's Request carries only the method and URL: what is sent comes from the
   * exchange, as the executor made it, so nothing is built into a Request and parsed back out of
   * it (headers, a body stream, a signal that follows the caller's: docs/rest.md, "Transport").
   */
  readonly #send = async ({ request, buffer }: Exchange): Promise<Response> => {
    const extra = this.#impersonation;
    const poolRequest: PoolRequest = {
      url: request.url,
      method: request.method,
      // Impersonation headers go last, so no other header can replace them.
      headers: Object.keys(extra).length === 0 ? request.headers : { ...request.headers, ...extra },
      body: request.body,
      signal: request.signal,
      buffer,
    };
    const response = await this.#pool(request.clientCertificate).request(poolRequest);
    const status = response.statusCode;
    if (status < 200 || status > 599) {
      response.body.destroy();
      throw new TypeError(`${request.method} ${redactUrl(request.url.href)}: the server answered with HTTP status ${status}, which is not a final response status`);
    }
    const headers = response.headers;
    if (NULL_BODY_STATUS.has(status) || request.method === 'HEAD') {
      response.body.resume();
      return new Response(null, { status, headers: headerPairs(headers) });
    }
    const encoding = headerValue(headers, 'content-encoding');
    if (encoding) {
      // The body handed on is decoded, so it no longer has that encoding or length.
      delete headers['content-encoding'];
      delete headers['content-length'];
    }
    let body: ReadableStream<Uint8Array>;
    if (buffer) {
      body = oneChunk(await decode(await (response.bytes as Promise<Uint8Array>), encoding));
    } else {
      const decoder = createDecoder(encoding);
      const stream = decoder ? response.body.pipe(decoder) : response.body;
      if (decoder) response.body.on('error', (error) => decoder.destroy(error));
      body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    }
    return new Response(body, { status, headers: headerPairs(headers) });
  };

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#defaultPool = undefined;
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/**
 * TCP keep-alive on every connection kgo opens: probes start after this long without a byte from
 * the server. client-go's dialer sets 30 s too. Node's libuv (≥ 1.49, Node ≥ 22.8) then probes
 * every second and gives up after 10 unanswered probes, so a connection whose peer went silent
 * (no FIN, no RST: a dropped NAT entry, a dead host) fails with `ETIMEDOUT` about 40 s after its
 * last byte: this is what ends an HTTP/1.1 watch or call on it (HTTP/2 ones also have the health
 * check). docs/reliability.md, suite 2.
 */
export const TCP_KEEP_ALIVE_IDLE_MS = 30_000;

/** A connection (TCP, proxy tunnel and TLS handshake) not up after this long fails; client-go's dialer allows 30 s. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** An idle pooled connection is closed after this long. */
export const IDLE_CONNECTION_TIMEOUT_MS = 30_000;

/** The proxy URL, when its scheme is one kgo speaks (client-go: http, https, socks5). */
function proxyUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`proxyUrl ${JSON.stringify(redactUrl(value))} is not a URL: use http://, https:// or socks5://host:port`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'socks5:') return url;
  throw new TypeError(`proxyUrl ${JSON.stringify(redactUrl(value))} has an unsupported scheme: use http, https or socks5`);
}

/**
 * A body already read whole, as a one-chunk stream: the cheapest body a Response takes (a
 * Uint8Array body costs the Response constructor several times more: docs/rest.md, "Transport").
 */
function oneChunk(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Reads a body stream to its end: one chunk as it is, several joined. */
async function readWhole(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  return chunks.length === 0 ? new Uint8Array() : Buffer.concat(chunks);
}

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { KyInstance, Options } from 'ky';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { type ConnectionWatch, watchedConnector } from './connector.ts';
import { createDecoder, decode } from './content-encoding.ts';
import { Agent, buildConnector, ky, loadHttpLayer, Pool, ProxyAgent, Socks5ProxyAgent } from './http-layer.ts';
import { http2Settings, type Http2Settings } from './http2-settings.ts';
import { impersonationHeaders } from './impersonation.ts';
import { headerValue, type ResponseHeaders } from './response-headers.ts';
import { redactUrl } from '../utils/redact-url.ts';
import type { RestConfig } from '../rest-config.ts';

/*
 * The HTTP transport: the only module that knows ky and undici (both loaded on the first request,
 * see http-layer.ts). The rest of the package talks to it through TransportRequest /
 * TransportResponse.
 *
 * ky is the entry of every exchange and is kept thin: it gets the method and URL, and the exchange
 * itself as a fetch option; kgo uses none of ky's retries, timeouts, hooks or body helpers (the
 * executor applies client-go's rules). ky's `fetch` (below) sends the exchange with the `request()`
 * API of the undici dispatcher for its credentials: TLS material (CA, client certificate, server
 * name), keep-alive pools and proxies need a dispatcher, and an Agent from npm undici cannot be
 * handed to Node's bundled fetch (their majors differ). Not npm undici's `fetch`: the WHATWG fetch
 * machinery doubled the client's CPU per request, and kgo needs none of it (no redirects, CORS or
 * cache modes). The answer goes back through ky as a plain object: status, undici's header record,
 * and the body decoded from its Content-Encoding, whole for calls, as a stream for watches and logs.
 * Why this shape, and what it costs: docs/rest.md, "Transport".
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
  headers: ResponseHeaders;
}

/** A response whose whole body has been read. */
export interface BufferedResponse extends TransportResponse {
  body: Uint8Array;
}

/** A response whose body is still arriving (watches, logs). */
export interface StreamingResponse extends TransportResponse {
  body: ReadableStream<Uint8Array> | null;
}

/**
 * What the fetch below receives from ky besides ky's own Request: the exchange to send, whole,
 * and whether to read the body (calls) or stream it (watches, logs). ky forwards options it does
 * not know to `fetch` (as it does undici's `dispatcher`).
 */
interface ExchangeInit {
  kgoExchange: { request: TransportRequest; buffer: boolean };
}

// Statuses whose response carries no body.
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

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
  readonly #dispatchers = new Map<string, Dispatcher>();
  #defaultDispatcher: Dispatcher | undefined;
  readonly #impersonation: Record<string, string[]>;
  readonly #http2: Http2Settings;
  #ky: KyInstance | undefined;

  constructor(config: RestConfig) {
    this.#config = config;
    if (config.tls?.insecure && config.tls.caData) {
      throw new TypeError(
        `RestConfig for ${config.host}: specifying a root certificates file with the insecure flag is not allowed (set tls.caData or tls.insecure, not both)`,
      );
    }
    this.#impersonation = impersonationHeaders(config.impersonate);
    if (config.proxyUrl) proxyScheme(config.proxyUrl);
    // undici's HTTP/2 client joins repeated header values with ", ", which would merge
    // impersonated groups into one; so a config with multi-valued impersonation speaks HTTP/1.1.
    const multiValued = Object.values(this.#impersonation).some((values) => values.length > 1);
    const http2 = http2Settings(config);
    this.#http2 = multiValued ? { ...http2, enabled: false } : http2;
  }

  /** The dispatcher for requests made with `clientCertificate` (or the config's own certificate). */
  dispatcher(clientCertificate?: ClientCertificate): Dispatcher {
    // The common case, asked on every request: no certificate from a provider.
    if (!clientCertificate) return (this.#defaultDispatcher ??= this.#dispatcherFor(undefined));
    return this.#dispatcherFor(clientCertificate);
  }

  #dispatcherFor(clientCertificate: ClientCertificate | undefined): Dispatcher {
    const tls = this.#config.tls ?? {};
    const cert = clientCertificate ?? (tls.certData && tls.keyData ? { certData: tls.certData, keyData: tls.keyData } : undefined);
    const key = cert ? createHash('sha256').update(cert.certData).update('\0').update(cert.keyData).digest('hex') : '';
    let dispatcher = this.#dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = this.#createDispatcher(cert);
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  #createDispatcher(cert: ClientCertificate | undefined): Dispatcher {
    const tls = this.#config.tls ?? {};
    const connect = {
      keepAliveInitialDelay: TCP_KEEP_ALIVE_IDLE_MS,
      ...(tls.caData ? { ca: tls.caData } : {}),
      ...(cert ? { cert: cert.certData, key: cert.keyData } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      rejectUnauthorized: tls.insecure !== true,
    };
    // Watches stay open for minutes with no bytes; the caller's timeout or signal bounds a call.
    // No cap on connections per origin: over HTTP/1.1 every open watch holds one, and a cap would
    // queue ordinary requests behind an informer's watches forever (Go's default is also no cap).
    // undici's periodic PING ignores a missing answer; kgo's health check replaces it.
    const http2 = this.#http2;
    const common: PoolSettings = {
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      connections: null,
      allowH2: http2.enabled,
      ...(http2.enabled && http2.readIdleTimeoutMs > 0 ? { h2Options: { pingInterval: 0 } } : {}),
    };
    const watch: ConnectionWatch = { http2, clientCertificate: cert !== undefined };
    const base = createBaseDispatcher(this.#config.proxyUrl, connect, common, watch);
    const extra = this.#impersonation;
    if (Object.keys(extra).length === 0) return base;
    return base.compose((dispatch) => (options, handler) => dispatch({ ...options, headers: withHeaders(options.headers, extra) }, handler));
  }

  /** Sends a request and reads the whole (decoded) body. */
  async send(request: TransportRequest): Promise<BufferedResponse> {
    const ky = this.#ky ?? (await this.#createKy());
    return (await ky(request.url, exchangeOptions(request, true))) as unknown as BufferedResponse;
  }

  /** Sends a request and hands back the body as a stream. */
  async open(request: TransportRequest): Promise<StreamingResponse> {
    const ky = this.#ky ?? (await this.#createKy());
    return (await ky(request.url, exchangeOptions(request, false))) as unknown as StreamingResponse;
  }

  /** The ky instance, once ky and undici are loaded (on the first request). */
  async #createKy(): Promise<KyInstance> {
    await loadHttpLayer();
    // Options fixed once per client. ky's own retries and timeouts stay off: the executor
    // applies client-go's rules itself.
    this.#ky ??= ky.create({ fetch: (input, init) => this.#fetch(input, init), retry: 0, timeout: false, throwHttpErrors: false });
    return this.#ky;
  }

  /**
   * ky's `fetch`: sends the exchange with the right dispatcher's `request()`. ky's Request carries
   * only the method and URL (see exchangeOptions); what is sent comes from the exchange, as the
   * executor made it, so nothing is parsed or copied back out of a Request. The answer goes back
   * through ky as a plain {@link BufferedResponse} / {@link StreamingResponse}: with no hooks and
   * `throwHttpErrors: false`, ky returns what fetch returned unchanged.
   */
  readonly #fetch = async (_: unknown, init: unknown): Promise<Response> => {
    const exchange = (init as Partial<ExchangeInit> | undefined)?.kgoExchange;
    if (!exchange) throw new TypeError('kgo transport: called without an exchange');
    const { request, buffer } = exchange;
    const url = request.url;
    const response = await this.dispatcher(request.clientCertificate).request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    const headers: ResponseHeaders = response.headers;
    const status = response.statusCode;
    let result: BufferedResponse | StreamingResponse;
    if (NULL_BODY_STATUS.has(status) || request.method === 'HEAD') {
      response.body.resume();
      result = buffer ? { status, headers, body: new Uint8Array() } : { status, headers, body: null };
    } else {
      const encoding = headerValue(headers, 'content-encoding');
      if (encoding) {
        // The body handed on is decoded, so it no longer has that encoding or length.
        delete headers['content-encoding'];
        delete headers['content-length'];
      }
      if (buffer) {
        result = { status, headers, body: await decode(new Uint8Array(await response.body.arrayBuffer()), encoding) };
      } else {
        const decoder = createDecoder(encoding);
        const stream = decoder ? response.body.pipe(decoder) : response.body;
        if (decoder) response.body.on('error', (error) => decoder.destroy(error));
        result = { status, headers, body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
      }
    }
    return result as unknown as Response;
  };

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    this.#defaultDispatcher = undefined;
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  }
}

/**
 * ky's options for one exchange: the method (ky's Request needs one) and the exchange itself,
 * which ky hands to the fetch above untouched. Headers, body and signal stay out of ky's Request:
 * building them into it (Headers validation, a body stream, a signal that follows the caller's)
 * and reading them back out cost more than the rest of the client (docs/rest.md, "Transport").
 */
function exchangeOptions(request: TransportRequest, buffer: boolean): Options {
  return { method: request.method, kgoExchange: { request, buffer } } as Options;
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

/** Pool settings every dispatcher shares. */
interface PoolSettings {
  bodyTimeout: number;
  keepAliveTimeout: number;
  connections: number | null;
  allowH2: boolean;
  h2Options?: { pingInterval: number };
}

/**
 * An Agent, or a proxy agent for `http(s)://` (CONNECT) and `socks5://` proxy URLs, whose
 * connections are watched ({@link watchedConnector}). undici's SOCKS5 agent offers no hook for
 * its connections; it speaks HTTP/1.1 only (its TLS asks for no ALPN), so no health check is due.
 */
function createBaseDispatcher(proxyUrl: string | undefined, connect: Undici.buildConnector.BuildOptions, common: PoolSettings, watch: ConnectionWatch): Dispatcher {
  if (!proxyUrl) return new Agent({ ...common, connect: watchedConnector(buildConnector({ ...connect, allowH2: common.allowH2 }), watch) });
  // The connection to the proxy is the TCP connection that can go silent: it gets the keep-alive too.
  // (The SOCKS5 agent takes a proxyTls as "speak TLS to the proxy", so it gets a connector instead.)
  const keepAlive = { keepAliveInitialDelay: TCP_KEEP_ALIVE_IDLE_MS };
  if (proxyScheme(proxyUrl) === 'socks5:') return new Socks5ProxyAgent(proxyUrl, { requestTls: connect, connect: buildConnector(keepAlive), ...common });
  // The proxy agent hands each origin's pool a connector that tunnels and then speaks TLS.
  const factory = (origin: string | URL, options: object) => {
    const { connect: tunnel, ...rest } = options as Undici.Pool.Options & { connect: Undici.buildConnector.connector };
    return new Pool(origin, { ...rest, connect: watchedConnector(tunnel, watch) });
  };
  return new ProxyAgent({ uri: proxyUrl, requestTls: connect, proxyTls: keepAlive, ...common, factory });
}

/** The proxy URL's scheme, when it is one kgo speaks (client-go: http, https, socks5). */
function proxyScheme(proxyUrl: string): 'http:' | 'https:' | 'socks5:' {
  let scheme: string;
  try {
    scheme = new URL(proxyUrl).protocol;
  } catch {
    throw new TypeError(`proxyUrl ${JSON.stringify(redactUrl(proxyUrl))} is not a URL: use http://, https:// or socks5://host:port`);
  }
  if (scheme === 'http:' || scheme === 'https:' || scheme === 'socks5:') return scheme;
  throw new TypeError(`proxyUrl scheme ${scheme} is not supported: use http, https or socks5`);
}


function withHeaders(headers: Dispatcher.DispatchOptions['headers'], extra: Record<string, string[]>): Record<string, string | string[]> {
  const merged: Record<string, string | string[]> = {};
  if (Array.isArray(headers)) {
    // Either [[name, value], …] or a flat [name, value, …] list.
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const [name, value] of headers as unknown as [string, string][]) merged[name.toLowerCase()] = value;
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) merged[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    }
  } else if (headers && typeof headers === 'object' && !(Symbol.iterator in headers)) {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) merged[name.toLowerCase()] = value as string | string[];
  } else if (headers) {
    for (const [name, value] of headers as Iterable<[string, string | string[] | undefined]>) {
      if (value !== undefined) merged[name.toLowerCase()] = value;
    }
  }
  for (const [name, values] of Object.entries(extra)) merged[name] = values;
  return merged;
}

import { createHash } from 'node:crypto';
import { Agent, type buildConnector, type Dispatcher, ProxyAgent, Socks5ProxyAgent, fetch as undiciFetch } from 'undici';
import { impersonationHeaders } from './impersonation.ts';
import type { RestConfig } from './rest-config.ts';

/*
 * The HTTP transport under ky. TLS (custom CA, client certificates, server name), keep-alive and
 * proxies need an undici dispatcher; an Agent from npm undici must be used with npm undici's own
 * fetch (Node's bundled fetch rejects a dispatcher from another undici major), and ky hands its
 * fetch a built-in Request. So `fetch` below takes ky's Request apart and re-issues it through
 * npm undici's fetch with the dispatcher that fits the request's credentials.
 */

/** Options ky passes through to {@link Transport.fetch} besides the Request. */
export interface TransportRequestInit {
  dispatcher?: Dispatcher;
}

/** A client certificate presented in the TLS handshake. */
export interface ClientCertificate {
  certData: string;
  keyData: string;
}

/**
 * One connection pool (plus one per distinct exec-plugin client certificate) for a RestConfig.
 * Every RestClient made from the same config object shares it.
 */
export class Transport {
  readonly #config: RestConfig;
  readonly #dispatchers = new Map<string, Dispatcher>();
  readonly #impersonation: Record<string, string[]>;

  constructor(config: RestConfig) {
    this.#config = config;
    if (config.tls?.insecure && config.tls.caData) {
      throw new TypeError(
        `RestConfig for ${config.host}: specifying a root certificates file with the insecure flag is not allowed (set tls.caData or tls.insecure, not both)`,
      );
    }
    this.#impersonation = impersonationHeaders(config.impersonate);
    if (config.proxyUrl) proxyScheme(config.proxyUrl);
  }

  /** The dispatcher for requests made with `clientCertificate` (or the config's own certificate). */
  dispatcher(clientCertificate?: ClientCertificate): Dispatcher {
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
      ...(tls.caData ? { ca: tls.caData } : {}),
      ...(cert ? { cert: cert.certData, key: cert.keyData } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      rejectUnauthorized: tls.insecure !== true,
    };
    // Watches stay open for minutes with no bytes; the caller's timeout or signal bounds a call.
    // undici's HTTP/2 client joins repeated header values with ", ", which would merge
    // impersonated groups into one; so a config with multi-valued impersonation speaks HTTP/1.1.
    const multiValued = Object.values(this.#impersonation).some((values) => values.length > 1);
    const common: PoolSettings = { bodyTimeout: 0, keepAliveTimeout: 30_000, connections: 64, allowH2: !multiValued };
    const base = createBaseDispatcher(this.#config.proxyUrl, connect, common);
    const extra = this.#impersonation;
    if (Object.keys(extra).length === 0) return base;
    return base.compose((dispatch) => (options, handler) => dispatch({ ...options, headers: withHeaders(options.headers, extra) }, handler));
  }

  /** ky's `fetch`: re-issues ky's Request through npm undici's fetch and the right dispatcher. */
  readonly fetch = async (input: Request | URL | string, init?: RequestInit & TransportRequestInit): Promise<Response> => {
    const dispatcher = init?.dispatcher ?? this.dispatcher();
    if (typeof input === 'string' || input instanceof URL) {
      return (await undiciFetch(input, { ...(init as object), dispatcher })) as unknown as Response;
    }
    const body = input.body === null ? undefined : new Uint8Array(await input.arrayBuffer());
    const response = await undiciFetch(input.url, {
      method: input.method,
      headers: [...input.headers],
      body,
      signal: input.signal,
      redirect: 'manual',
      dispatcher,
    });
    return response as unknown as Response;
  };

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  }
}

/** An Agent, or a proxy agent for `http(s)://` (CONNECT) and `socks5://` proxy URLs. */
/** Pool settings every dispatcher shares. */
interface PoolSettings {
  bodyTimeout: number;
  keepAliveTimeout: number;
  connections: number;
  allowH2: boolean;
}

function createBaseDispatcher(proxyUrl: string | undefined, connect: buildConnector.BuildOptions, common: PoolSettings): Dispatcher {
  if (!proxyUrl) return new Agent({ connect, ...common });
  if (proxyScheme(proxyUrl) === 'socks5:') return new Socks5ProxyAgent(proxyUrl, { requestTls: connect, ...common });
  return new ProxyAgent({ uri: proxyUrl, requestTls: connect, ...common });
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

/** A URL without its user info, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
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

const transports = new WeakMap<RestConfig, Transport>();

/** The shared {@link Transport} of a config object: one connection pool per RestConfig. */
export function transportFor(config: RestConfig): Transport {
  let transport = transports.get(config);
  if (!transport) {
    transport = new Transport(config);
    transports.set(config, transport);
  }
  return transport;
}

import { RequestExecutor } from '../request/executor.ts';
import type { RequestRecipe } from '../request/request-recipe.ts';
import { toResponsePromise, type ResponsePromise } from '../request/response-promise.ts';
import type { Watch } from '../request/watch.ts';
import { DEFAULT_MAX_RETRIES } from '../request/retry.ts';
import type { RestConfig } from '../rest-config.ts';
import { redactUrl } from '../utils/redact-url.ts';
import { Authenticator } from './authenticator.ts';
import { type RateLimiter, TokenBucketRateLimiter, unlimited } from './rate-limiter.ts';
import { Transport } from './transport.ts';
import { defaultUserAgent } from './user-agent.ts';
import { createDeduplicatingWarningHandler, type WarningHandler } from './warnings.ts';

const DEFAULT_QPS = 5;
const DEFAULT_BURST = 10;

// kubectl prints each distinct warning once per process, whichever client received it.
let processWarningHandler: WarningHandler | undefined;

/**
 * The HTTP side of a {@link RestConfig}, made once and shared (client-go's `rest.HTTPClientFor`
 * plus the rate limiter a clientset shares): it owns the connection pool(s), the
 * authenticator, the rate limiter and the warning handler. Any number of `RestClient`s, for any
 * group-versions, can be made over one HttpClient (`new RestClient(http, …)`), and then share
 * one pool and one QPS budget. Nothing is shared by accident: two HttpClients made from the same
 * (or a copied) config share nothing.
 *
 * Close it when done ({@link HttpClient.close}, or `await using`); closing ends its pooled
 * connections for every client made over it.
 *
 * @example
 * ```ts
 * await using http = new HttpClient(config);
 * const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
 * const apps = new RestClient(http, { groupVersion: { group: 'apps', version: 'v1' } });
 * ```
 */
export class HttpClient implements AsyncDisposable {
  /** The config this client was made from. */
  readonly config: Readonly<RestConfig>;
  /** The server URL, parsed. */
  readonly base: URL;
  /** The rate limiter every request through this client takes a token from (watches excepted). */
  readonly rateLimiter: RateLimiter;
  readonly #transport: Transport;
  readonly #executor: RequestExecutor;

  /** Checks the config (refusing mistakes without echoing secrets) and prepares the pool; no connection is opened yet. */
  constructor(config: RestConfig) {
    this.base = parseHost(config.host);
    this.config = config;
    this.#transport = new Transport(config);
    this.rateLimiter = rateLimiterFor(config);
    processWarningHandler ??= createDeduplicatingWarningHandler();
    const warningHandler = config.warningHandler ?? processWarningHandler;
    // Said once per server by the default handler (it prints each distinct text once per process).
    if (config.tls?.insecure) warningHandler({ code: 299, agent: 'kgo', text: insecureWarning(this.base.host) });
    this.#executor = new RequestExecutor({
      transport: this.#transport,
      auth: new Authenticator(config),
      rateLimiter: this.rateLimiter,
      warningHandler,
      userAgent: config.userAgent ?? defaultUserAgent(),
      disableCompression: config.disableCompression === true,
      clientCertificate: config.tls?.certData,
    });
  }

  /** Default timeout of ordinary calls, from the config. */
  get timeoutMs(): number | undefined {
    return this.config.timeoutMs;
  }

  /** Default number of retries, from the config. */
  get maxRetries(): number {
    return this.config.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  /** Sends a recipe with client-go's retry rules; resolves with the 2xx result (see `Request.do`). */
  do(recipe: RequestRecipe): ResponsePromise {
    return toResponsePromise(this.#executor.do(recipe));
  }

  /** Opens a watch for a recipe (see `Request.watch`). */
  watch<T>(recipe: RequestRecipe): Promise<Watch<T>> {
    return this.#executor.watch<T>(recipe);
  }

  /** Opens a byte stream for a recipe (see `Request.stream`). */
  stream(recipe: RequestRecipe): Promise<ReadableStream<Uint8Array>> {
    return this.#executor.stream(recipe);
  }

  /** Closes every pooled connection. Requests made afterwards open new ones. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** `await using http = new HttpClient(config)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function parseHost(host: string): URL {
  let base: URL;
  try {
    base = new URL(host);
  } catch {
    throw new TypeError(`RestConfig.host ${JSON.stringify(redactUrl(host))} is not a URL: use https://host:port (optionally with a path prefix)`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new TypeError(`RestConfig.host ${JSON.stringify(redactUrl(host))} must be an http or https URL`);
  }
  if (base.username || base.password) {
    throw new TypeError('RestConfig.host must not carry credentials: use username/password or bearerToken');
  }
  return base;
}

function rateLimiterFor(config: RestConfig): RateLimiter {
  if (config.rateLimiter) return config.rateLimiter;
  const qps = config.qps ?? DEFAULT_QPS;
  if (qps < 0) return unlimited;
  return new TokenBucketRateLimiter(qps === 0 ? DEFAULT_QPS : qps, config.burst || DEFAULT_BURST);
}

/** The warning for a client made with `tls.insecure`. */
function insecureWarning(host: string): string {
  return `TLS verification is off for ${host} (tls.insecure / insecure-skip-tls-verify): the server's identity is not checked, so anyone on the network path can read and change this traffic`;
}

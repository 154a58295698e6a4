import ky from 'ky';
import { Authenticator } from './transport/authenticator.ts';
import type { PatchType } from './request/patch-type.ts';
import { TokenBucketRateLimiter, type RateLimiter, unlimited } from './transport/rate-limiter.ts';
import { Request, type RequestContext } from './request/request.ts';
import type { RestConfig } from './rest-config.ts';
import { joinPath } from './request/go-path.ts';
import { DEFAULT_MAX_RETRIES } from './request/retry.ts';
import { redactUrl } from './utils/redact-url.ts';
import { transportFor } from './transport/transport.ts';
import { defaultUserAgent } from './transport/user-agent.ts';
import { createDeduplicatingWarningHandler, type WarningHandler } from './transport/warnings.ts';

/** A group and version, e.g. `{ group: 'apps', version: 'v1' }`; the core group is `''`. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** Options of {@link RestClient} beyond the {@link RestConfig}. */
export interface RestClientOptions {
  /**
   * The group-version every request addresses: paths start with `/api/v1` (core) or
   * `/apis/<group>/<version>`. Without it, paths start at the server root (use `absPath`).
   */
  groupVersion?: GroupVersion | undefined;
  /** Override the API root (`/api` for core, `/apis` otherwise). */
  apiPath?: string | undefined;
}

const DEFAULT_QPS = 5;
const DEFAULT_BURST = 10;

// One limiter per config object, so every client made from one config shares its budget (client-go).
const limiters = new WeakMap<RestConfig, RateLimiter>();
let processWarningHandler: WarningHandler | undefined;

function rateLimiterFor(config: RestConfig): RateLimiter {
  if (config.rateLimiter) return config.rateLimiter;
  let limiter = limiters.get(config);
  if (!limiter) {
    const qps = config.qps ?? DEFAULT_QPS;
    limiter = qps < 0 ? unlimited : new TokenBucketRateLimiter(qps === 0 ? DEFAULT_QPS : qps, config.burst || DEFAULT_BURST);
    limiters.set(config, limiter);
  }
  return limiter;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise (client-go's `DefaultVersionedAPIPath`). */
export function versionedApiPath(groupVersion: GroupVersion | undefined, apiPath?: string): string {
  if (!groupVersion) return apiPath ?? '';
  const root = apiPath ?? (groupVersion.group === '' ? '/api' : '/apis');
  return groupVersion.group === '' ? `${root}/${groupVersion.version}` : `${root}/${groupVersion.group}/${groupVersion.version}`;
}

/**
 * The HTTP core every kgo client stands on (client-go's `rest.RESTClient`): builds requests,
 * authenticates them, rate-limits, retries, and turns failures into typed errors. Clients made
 * from the same RestConfig object share one connection pool and one rate limiter.
 *
 * @example
 * ```ts
 * const core = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
 * const list = (await core.get().namespace('default').resource('configmaps').params({ limit: 50 }).do()).into<ConfigMapList>();
 * ```
 */
export class RestClient {
  readonly config: RestConfig;
  readonly groupVersion: GroupVersion | undefined;
  readonly #context: RequestContext;

  constructor(config: RestConfig, options: RestClientOptions = {}) {
    let base: URL;
    try {
      base = new URL(config.host);
    } catch {
      throw new TypeError(`RestConfig.host ${JSON.stringify(redactUrl(config.host))} is not a URL: use https://host:port (optionally with a path prefix)`);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError(`RestConfig.host ${JSON.stringify(redactUrl(config.host))} must be an http or https URL`);
    }
    if (base.username || base.password) {
      throw new TypeError('RestConfig.host must not carry credentials: use username/password or bearerToken');
    }
    this.config = config;
    this.groupVersion = options.groupVersion;
    const transport = transportFor(config);
    processWarningHandler ??= createDeduplicatingWarningHandler();
    const apiPath = versionedApiPath(options.groupVersion, options.apiPath);
    this.#context = {
      base,
      pathPrefix: joinPath('/', base.pathname, apiPath),
      // ky's own retries and timeouts stay off: Request applies client-go's rules itself.
      ky: ky.create({ fetch: transport.fetch, retry: 0, timeout: false, throwHttpErrors: false }),
      auth: new Authenticator(config, transport),
      rateLimiter: rateLimiterFor(config),
      warningHandler: config.warningHandler ?? processWarningHandler,
      userAgent: config.userAgent ?? defaultUserAgent(),
      maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeoutMs: config.timeoutMs,
      disableCompression: config.disableCompression === true,
    };
  }

  /** The client's rate limiter (shared by clients of the same config). */
  get rateLimiter(): RateLimiter {
    return this.#context.rateLimiter;
  }

  /** A request with any verb. */
  verb(verb: string): Request {
    return new Request(this.#context, verb.toUpperCase());
  }

  /** A GET request. */
  get(): Request {
    return this.verb('GET');
  }

  /** A POST request (create). */
  post(): Request {
    return this.verb('POST');
  }

  /** A PUT request (update). */
  put(): Request {
    return this.verb('PUT');
  }

  /** A PATCH request with the given patch content type ({@link PatchType}). */
  patch(type: PatchType): Request {
    return this.verb('PATCH').patchType(type);
  }

  /** A DELETE request. */
  delete(): Request {
    return this.verb('DELETE');
  }

  /** Closes the connection pool of this client's config (every client made from it). */
  async close(): Promise<void> {
    await transportFor(this.config).close();
  }
}

import type { KyInstance } from 'ky';
import type { Authenticator } from '../transport/authenticator.ts';
import { DecodeError } from '../errors/decode-error.ts';
import type { RequestDescription } from '../errors/request-description.ts';
import { genericStatusError, StatusError } from '../errors/status-error.ts';
import { formatGoDuration } from './go-duration.ts';
import { joinPath } from './go-path.ts';
import { toRequestError } from '../errors/network-error.ts';
import type { PatchType } from './patch-type.ts';
import { invalidPathSegmentReason } from './path-segment.ts';
import { type RateLimiter, sleep } from '../transport/rate-limiter.ts';
import { encodeQueryOptions, type QueryOptions } from '../meta/options.ts';
import { Result } from './result.ts';
import { isRetryableNetworkError, retryAfterSeconds } from './retry.ts';
import { isStatusObject, type Status } from '../meta/status.ts';
import { readBody } from '../transport/transport.ts';
import { encodeQuery, pathEscape } from './url-encoding.ts';
import { Watch } from './watch.ts';
import { parseWarningHeaders, type Warning, type WarningHandler } from '../transport/warnings.ts';

/** What a {@link Request} needs from its {@link RestClient}. */
export interface RequestContext {
  /** The server URL (scheme, host, port, optional path prefix). */
  base: URL;
  /** The server's path prefix joined with the versioned API path: where every request's path starts. */
  pathPrefix: string;
  ky: KyInstance;
  auth: Authenticator;
  rateLimiter: RateLimiter;
  warningHandler: WarningHandler;
  userAgent: string;
  maxRetries: number;
  timeoutMs: number | undefined;
  disableCompression: boolean;
}

type Body = { bytes: Uint8Array | string; contentType: string };

/**
 * One API request, built step by step like client-go's `rest.Request`, then sent with
 * {@link Request.do}, {@link Request.watch} or {@link Request.stream}. Builder mistakes (an
 * invalid name, a namespace set twice) are kept and reported when the request is sent, so a
 * chain needs one error check.
 *
 * @example
 * ```ts
 * const cm = (await client.get().namespace('default').resource('configmaps').name('app').do()).into<ConfigMap>();
 * ```
 */
export class Request {
  readonly #ctx: RequestContext;
  #verb: string;
  #pathPrefix: string;
  #subpath = '';
  #namespace = '';
  #namespaceSet = false;
  #resource = '';
  #resourceName = '';
  #subresource = '';
  #params: [string, string][] = [];
  #headers = new Map<string, string>();
  #body: Body | undefined;
  #timeoutMs: number | undefined;
  #signal: AbortSignal | undefined;
  #maxRetries: number;
  #err: Error | undefined;

  constructor(ctx: RequestContext, verb: string) {
    this.#ctx = ctx;
    this.#verb = verb;
    this.#pathPrefix = ctx.pathPrefix;
    this.#maxRetries = ctx.maxRetries;
  }

  /** The first mistake made while building this request, if any (client-go's `Request.Error()`); `do()` throws it. */
  error(): Error | undefined {
    return this.#err;
  }

  #fail(message: string): this {
    this.#err ??= new TypeError(message);
    return this;
  }

  /** Sets the HTTP verb. */
  verb(verb: string): this {
    this.#verb = verb.toUpperCase();
    return this;
  }

  /** Appends segments to the path prefix (before namespace and resource). */
  prefix(...segments: string[]): this {
    this.#pathPrefix = joinPath(this.#pathPrefix, joinPath(...segments));
    return this;
  }

  /** Appends segments after the name and subresource. */
  suffix(...segments: string[]): this {
    this.#subpath = joinPath(this.#subpath, joinPath(...segments));
    return this;
  }

  /**
   * Replaces the path with `segments`, keeping the server URL's path prefix; a single segment's
   * trailing slash is kept.
   */
  absPath(...segments: string[]): this {
    const basePath = this.#ctx.base.pathname;
    this.#pathPrefix = joinPath(basePath, joinPath(...segments));
    const [only] = segments;
    if (segments.length === 1 && only !== undefined && (basePath.length > 1 || only.length > 1) && only.endsWith('/')) {
      this.#pathPrefix += '/';
    }
    return this;
  }

  /** Scopes the request to a namespace (`namespaces/<ns>/…`). An empty namespace means all namespaces. */
  namespace(namespace: string): this {
    if (this.#namespaceSet) return this.#fail(`namespace already set to ${JSON.stringify(this.#namespace)}, cannot change to ${JSON.stringify(namespace)}`);
    const invalid = invalidPathSegmentReason(namespace);
    if (invalid) return this.#fail(`invalid namespace ${JSON.stringify(namespace)}: ${invalid}`);
    this.#namespaceSet = true;
    this.#namespace = namespace;
    return this;
  }

  /** {@link Request.namespace} when `scoped`, else nothing (for cluster-scoped resources). */
  namespaceIfScoped(namespace: string, scoped: boolean): this {
    return scoped ? this.namespace(namespace) : this;
  }

  /** The resource (plural, lowercased in the URL). */
  resource(resource: string): this {
    if (this.#resource) return this.#fail(`resource already set to ${JSON.stringify(this.#resource)}, cannot change to ${JSON.stringify(resource)}`);
    const invalid = invalidPathSegmentReason(resource);
    if (invalid) return this.#fail(`invalid resource ${JSON.stringify(resource)}: ${invalid}`);
    this.#resource = resource;
    return this;
  }

  /** The object's name. */
  name(name: string): this {
    if (name === '') return this.#fail('resource name may not be empty');
    if (this.#resourceName) return this.#fail(`resource name already set to ${JSON.stringify(this.#resourceName)}, cannot change to ${JSON.stringify(name)}`);
    const invalid = invalidPathSegmentReason(name);
    if (invalid) return this.#fail(`invalid resource name ${JSON.stringify(name)}: ${invalid}`);
    this.#resourceName = name;
    return this;
  }

  /** A subresource (`status`, `scale`, `log`, …), after the name. */
  subresource(...subresources: string[]): this {
    const subresource = joinPath(...subresources);
    if (this.#subresource) return this.#fail(`subresource already set to ${JSON.stringify(this.#subresource)}, cannot change to ${JSON.stringify(subresource)}`);
    for (const segment of subresources) {
      const invalid = invalidPathSegmentReason(segment);
      if (invalid) return this.#fail(`invalid subresource ${JSON.stringify(segment)}: ${invalid}`);
    }
    this.#subresource = subresource;
    return this;
  }

  /** Adds one query parameter (repeatable). */
  param(key: string, value: string | number | boolean): this {
    this.#params.push([key, String(value)]);
    return this;
  }

  /** Adds the fields of an option object (ListOptions, GetOptions, CreateOptions, …) as query parameters. */
  params(options: QueryOptions): this {
    try {
      this.#params.push(...encodeQueryOptions(options));
    } catch (error) {
      this.#fail((error as Error).message);
    }
    return this;
  }

  /** Sets a request header. */
  setHeader(name: string, value: string): this {
    this.#headers.set(name.toLowerCase(), value);
    return this;
  }

  /**
   * The request body: an object is sent as JSON, a string or bytes as they are. The content type
   * is `application/json` unless the verb is a patch, whose type decides it.
   */
  body(body: unknown, contentType?: string): this {
    const type = contentType ?? this.#body?.contentType ?? 'application/json';
    if (typeof body === 'string' || body instanceof Uint8Array) this.#body = { bytes: body, contentType: type };
    else this.#body = { bytes: JSON.stringify(body), contentType: type };
    return this;
  }

  /** @internal Sets the patch content type (used by RestClient.patch). */
  patchType(type: PatchType): this {
    this.#body = { bytes: this.#body?.bytes ?? '', contentType: type };
    this.#headers.set('content-type', type);
    return this;
  }

  /**
   * Bounds the whole call, retries included, and sends `timeout=<duration>` to the server.
   * Unlike `RestConfig.timeoutMs`, it also applies to watches and streams.
   */
  timeout(ms: number): this {
    this.#timeoutMs = ms;
    return this;
  }

  /** Cancels the call (or the watch or stream) when the signal aborts. */
  signal(signal: AbortSignal): this {
    this.#signal = signal;
    return this;
  }

  /** Overrides the number of retries for this request. */
  maxRetries(retries: number): this {
    this.#maxRetries = retries;
    return this;
  }

  /** The call's timeout: the request's own, else (not for watches and streams) the config's. */
  #effectiveTimeout(longRunning: boolean): number | undefined {
    return longRunning ? this.#timeoutMs : (this.#timeoutMs ?? this.#ctx.timeoutMs);
  }

  /** The request URL, built exactly as client-go's `Request.URL()`. */
  url(): URL {
    return this.#buildUrl(this.#effectiveTimeout(false));
  }

  #buildUrl(timeoutMs: number | undefined): URL {
    let path = this.#pathPrefix;
    if (this.#namespaceSet && this.#namespace.length > 0) path = joinPath(path, 'namespaces', this.#namespace);
    if (this.#resource) path = joinPath(path, this.#resource.toLowerCase());
    // path.Join drops a trailing slash; only touch the path when something follows the prefix.
    if (this.#resourceName || this.#subpath || this.#subresource) path = joinPath(path, this.#resourceName, this.#subresource, this.#subpath);
    const params = [...this.#params];
    if (timeoutMs) {
      const withoutTimeout = params.filter(([key]) => key !== 'timeout');
      withoutTimeout.push(['timeout', formatGoDuration(timeoutMs)]);
      params.splice(0, params.length, ...withoutTimeout);
    }
    const query = encodeQuery(params);
    const base = this.#ctx.base;
    return new URL(`${base.protocol}//${base.host}${pathEscape(path)}${query ? `?${query}` : ''}`);
  }

  #describe(url: URL): RequestDescription {
    return { verb: this.#verb, url: url.toString(), resource: this.#resource || undefined, name: this.#resourceName || undefined };
  }

  #preflight(): void {
    if (this.#err) throw this.#err;
    if (this.#verb === 'POST' && this.#namespaceSet && this.#namespace === '') {
      throw new TypeError('an empty namespace may not be set during creation');
    }
  }

  #headersFor(authorization: string | undefined, accept: string): Record<string, string> {
    const headers: Record<string, string> = {
      accept,
      'user-agent': this.#ctx.userAgent,
    };
    headers['accept-encoding'] = this.#ctx.disableCompression ? 'identity' : 'gzip';
    if (this.#body) headers['content-type'] = this.#body.contentType;
    for (const [name, value] of this.#headers) headers[name] = value;
    if (authorization) headers.authorization = authorization;
    return headers;
  }

  /** One HTTP exchange: rate limit, credentials, ky; reports warnings and 401s. */
  async #send(url: URL, signal: AbortSignal | undefined, accept: string, longRunning: boolean): Promise<{ response: Response; warnings: Warning[] }> {
    // Watches and streams are long-running and exempt from the rate limiter, as in client-go.
    if (!longRunning) await this.#ctx.rateLimiter.acquire(signal);
    const auth = await this.#ctx.auth.prepare(signal);
    const response = await this.#ctx.ky(url, {
      method: this.#verb,
      headers: this.#headersFor(auth.authorization, accept),
      body: this.#body?.bytes as BodyInit | undefined,
      signal,
      // Passed through to Transport.fetch: the connection pool for these credentials, and
      // whether to read the whole body (calls) or stream it (watches, logs).
      dispatcher: auth.dispatcher,
      buffer: !longRunning,
    } as Parameters<KyInstance>[1]);
    const warnings = this.#reportWarnings(response.headers);
    if (response.status === 401) this.#ctx.auth.unauthorized(auth.used);
    return { response, warnings };
  }

  #reportWarnings(headers: Headers): Warning[] {
    const values = headers.get('warning');
    if (!values) return [];
    const warnings = parseWarningHeaders([values]);
    for (const warning of warnings) this.#ctx.warningHandler(warning);
    return warnings;
  }

  /** The caller's signal combined with the call's timeout (and, for watches and streams, their own stop). */
  #callSignal(timeoutMs: number | undefined, stop?: AbortSignal): AbortSignal | undefined {
    const signals: AbortSignal[] = [];
    if (this.#signal) signals.push(this.#signal);
    if (timeoutMs) signals.push(AbortSignal.timeout(timeoutMs));
    if (stop) signals.push(stop);
    return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
  }

  /**
   * Sends the request with client-go's retry rules and returns the response once it is 2xx.
   * Non-2xx answers throw {@link StatusError}; failures without a response throw
   * {@link RequestError}.
   */
  async do(): Promise<Result> {
    this.#preflight();
    const timeoutMs = this.#effectiveTimeout(false);
    const url = this.#buildUrl(timeoutMs);
    const description = this.#describe(url);
    const signal = this.#callSignal(timeoutMs);
    let previous: Error | undefined;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let warnings: Warning[];
      try {
        ({ response, warnings } = await this.#send(url, signal, 'application/json, */*', false));
      } catch (error) {
        const failure = toRequestError(error, description, signal);
        if (attempt < this.#maxRetries && !signal?.aborted && isRetryableNetworkError(this.#verb, failure.code, failure.message)) {
          previous = failure;
          await sleep(1000, signal).catch((abort) => {
            throw toRequestError(abort, description, signal);
          });
          continue;
        }
        throw withPrevious(failure, previous);
      }
      const retryAfter = retryAfterSeconds(response.status, response.headers.get('retry-after'));
      if (retryAfter !== undefined && attempt < this.#maxRetries) {
        previous = await this.#statusError(response, description, retryAfter);
        await sleep(retryAfter * 1000, signal).catch((abort) => {
          throw withPrevious(toRequestError(abort, description, signal), previous);
        });
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        throw withPrevious(await this.#statusError(response, description, retryAfter), previous);
      }
      let body: Uint8Array;
      try {
        body = await readBody(response);
      } catch (error) {
        throw toRequestError(error, description, signal);
      }
      return new Result(response.status, response.headers, body, warnings, `${this.#verb} ${url}`);
    }
  }

  async #statusError(response: Response, description: RequestDescription, retryAfter: number | undefined): Promise<StatusError> {
    const text = await readBody(response).then((bytes) => new TextDecoder().decode(bytes), () => '');
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('json') && text) {
      try {
        const body = JSON.parse(text) as unknown;
        if (isStatusObject(body) && body.status === 'Failure') {
          const status = body as Status;
          return new StatusError(
            { ...status, code: status.code || response.status, reason: status.reason ?? '', message: status.message ?? `the server responded with ${response.status}` },
            description,
          );
        }
      } catch {
        // not JSON after all: fall through to the generic error
      }
    }
    return genericStatusError(response.status, text, description, retryAfter);
  }

  /**
   * Starts a watch (adds `watch=true`) and resolves once the server accepted it. Watches are not
   * rate-limited and not retried: the caller (or an informer) owns reconnects.
   *
   * @example
   * ```ts
   * const watch = await client.get().namespace('default').resource('configmaps').params({ allowWatchBookmarks: true }).watch<ConfigMap>();
   * for await (const event of watch) console.log(event.type, event.object.metadata.name);
   * ```
   */
  async watch<T>(): Promise<Watch<T>> {
    if (!this.#params.some(([key]) => key === 'watch')) this.#params.push(['watch', 'true']);
    const { response, abort, signal, what, description } = await this.#open('application/json, */*');
    if (!response.body) throw new DecodeError(`${what}: the server sent no watch stream`, description);
    return new Watch<T>(response.body as ReadableStream<Uint8Array>, abort, description, signal);
  }

  /** Sends the request and returns the response body as a byte stream (for logs and other long responses). */
  async stream(): Promise<ReadableStream<Uint8Array>> {
    const { response, what } = await this.#open('*/*');
    if (!response.body) throw new Error(`${what}: the server sent no body`);
    return response.body as ReadableStream<Uint8Array>;
  }

  async #open(accept: string): Promise<{ response: Response; abort: AbortController; signal: AbortSignal; what: string; description: RequestDescription }> {
    this.#preflight();
    const timeoutMs = this.#effectiveTimeout(true);
    const url = this.#buildUrl(timeoutMs);
    const description = this.#describe(url);
    const abort = new AbortController();
    const signal = this.#callSignal(timeoutMs, abort.signal) as AbortSignal;
    let response: Response;
    try {
      ({ response } = await this.#send(url, signal, accept, true));
    } catch (error) {
      throw toRequestError(error, description, signal);
    }
    if (response.status < 200 || response.status > 299) {
      const error = await this.#statusError(response, description, undefined);
      abort.abort();
      throw error;
    }
    return { response, abort, signal, what: `${this.#verb} ${url}`, description };
  }
}

function withPrevious<E extends Error>(error: E, previous: Error | undefined): E {
  if (previous && previous !== error && !(StatusError.isInstance(error) && StatusError.isInstance(previous) && error.message === previous.message)) {
    error.message = `${error.message} - error from a previous attempt: ${previous.message}`;
  }
  return error;
}

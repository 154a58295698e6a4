import { formatGoDuration } from './go-duration.ts';
import { joinPath } from './go-path.ts';
import { encodeQueryOptions, type QueryOptionsFor } from '../meta/options.ts';
import type { PatchType } from './patch-type.ts';
import { encodeEnvelope } from '../protobuf/envelope.ts';
import { PROTOBUF_ACCEPT, PROTOBUF_CONTENT_TYPE } from '../protobuf/media-types.ts';
import type { JsonPreferences, ProtobufRecipe } from '../protobuf/negotiation.ts';
import type { ProtobufCodec, ProtobufTypeMeta } from '../protobuf/protobuf-codec.ts';
import { invalidPathSegmentReason } from './path-segment.ts';
import type { RequestRecipe } from './request-recipe.ts';
import { toResponsePromise, type ResponsePromise } from './response-promise.ts';
import type { Result } from './result.ts';
import { encodeQuery, pathEscape } from './url-encoding.ts';
import type { Watch } from './watch.ts';

/** What sends a finished {@link RequestRecipe}: an `HttpClient`. */
export interface RequestSender {
  do(recipe: RequestRecipe): Promise<Result>;
  watch<T>(recipe: RequestRecipe): Promise<Watch<T>>;
  stream(recipe: RequestRecipe): Promise<ReadableStream<Uint8Array>>;
}

/** Where a {@link Request} starts: the server, the API path, the defaults and who sends it. */
export interface RequestTarget {
  /** The server URL (scheme, host, port, optional path prefix). */
  base: URL;
  /** The server's path prefix joined with the versioned API path: where every request's path starts. */
  pathPrefix: string;
  /** Default timeout of ordinary calls (not watches and streams), from the RestConfig. */
  timeoutMs: number | undefined;
  /** Default number of retries. */
  maxRetries: number;
  sender: RequestSender;
  /** The client's protobuf codec: when set, requests prefer protobuf (see `RestClientOptions.protobuf`). */
  protobuf?: ProtobufCodec | undefined;
  /** The resources this client has learned to request as JSON (the server refused protobuf for them). */
  jsonPreferences?: JsonPreferences | undefined;
}

/** A body; `fromObject` marks JSON made from an object, which may be sent as protobuf instead. */
type Body = { bytes: Uint8Array | string; contentType: string; fromObject?: true };

const JSON_CONTENT_TYPE = 'application/json';

/**
 * One API request, built step by step like client-go's `rest.Request`. Building does no I/O:
 * {@link Request.toRecipe} renders it as plain data, and {@link Request.do},
 * {@link Request.watch} and {@link Request.stream} hand that recipe to the HttpClient that sends
 * it. Builder mistakes (an invalid name, a namespace set twice) are kept and reported when the
 * request is rendered, so a chain needs one error check. `Verb` narrows the option objects
 * {@link Request.params} accepts.
 *
 * @example
 * ```ts
 * const cm = await client.get().namespace('default').resource('configmaps').name('app').do().into<ConfigMap>();
 * ```
 */
export class Request<Verb extends string = string> {
  readonly #target: RequestTarget;
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
  /** This request's codec: undefined follows the client, null forces JSON. */
  #protobuf: ProtobufCodec | null | undefined;

  constructor(target: RequestTarget, verb: Verb) {
    this.#target = target;
    this.#verb = verb;
    this.#pathPrefix = target.pathPrefix;
    this.#maxRetries = target.maxRetries;
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
    const basePath = this.#target.base.pathname;
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

  /**
   * Adds the fields of an option object as query parameters. The accepted objects follow the
   * verb (GET: ListOptions or GetOptions; POST: CreateOptions; PUT: UpdateOptions; PATCH:
   * PatchOptions; DELETE: ListOptions and scalar DeleteOptions), so a misspelt field does not
   * compile. For options of your own, name their type: `.params<PodLogOptions>({ follow: true })`,
   * or add single parameters with {@link Request.param}.
   */
  params<Options extends object = QueryOptionsFor<Verb>>(options: NoInfer<Options>): this {
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
    const type = contentType ?? this.#body?.contentType ?? JSON_CONTENT_TYPE;
    if (typeof body === 'string' || body instanceof Uint8Array) this.#body = { bytes: body, contentType: type };
    else if (type === JSON_CONTENT_TYPE && typeof body === 'object' && body !== null) this.#body = { bytes: JSON.stringify(body), contentType: type, fromObject: true };
    else this.#body = { bytes: JSON.stringify(body), contentType: type };
    return this;
  }

  /**
   * Sets this request's protobuf codec, overriding the client's (`RestClientOptions.protobuf`);
   * `null` sends this request as JSON. With a codec the request accepts protobuf (falling back
   * to JSON for what the server does not serve as protobuf, such as custom resources), an
   * object body whose kind the codec handles is sent as protobuf, and the answer is decoded by
   * its Content-Type.
   *
   * @example
   * ```ts
   * const cm = await core.get().namespace('default').resource('configmaps').name('app').protobuf(coreV1Codec).do().into<ConfigMap>();
   * ```
   */
  protobuf(codec: ProtobufCodec | null): this {
    this.#protobuf = codec;
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
    return longRunning ? this.#timeoutMs : (this.#timeoutMs ?? this.#target.timeoutMs);
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
    let params = this.#params;
    if (timeoutMs) params = [...params.filter(([key]) => key !== 'timeout'), ['timeout', formatGoDuration(timeoutMs)]];
    const query = encodeQuery(params);
    const base = this.#target.base;
    return new URL(`${base.protocol}//${base.host}${pathEscape(path)}${query ? `?${query}` : ''}`);
  }

  /**
   * The request as plain data, with no I/O: method, URL, headers, body and call settings. Throws
   * the first builder mistake, like sending would. `longRunning` (watches, streams) leaves the
   * config's default timeout out, as those run until stopped.
   */
  toRecipe(options: { longRunning?: boolean } = {}): RequestRecipe {
    if (this.#err) throw this.#err;
    if (this.#verb === 'POST' && this.#namespaceSet && this.#namespace === '') {
      throw new TypeError('an empty namespace may not be set during creation');
    }
    const timeoutMs = this.#effectiveTimeout(options.longRunning === true);
    const headers: Record<string, string> = {};
    if (this.#body) headers['content-type'] = this.#body.contentType;
    for (const [name, value] of this.#headers) headers[name] = value;
    const recipe: RequestRecipe = {
      method: this.#verb,
      url: this.#buildUrl(timeoutMs),
      headers,
      body: this.#body?.bytes,
      timeoutMs,
      maxRetries: this.#maxRetries,
      signal: this.#signal,
      resource: this.#resource || undefined,
      name: this.#resourceName || undefined,
    };
    const protobuf = this.#protobufRecipe(headers);
    if (protobuf) {
      recipe.protobuf = protobuf.recipe;
      recipe.headers = protobuf.headers;
      recipe.body = protobuf.body;
    }
    return recipe;
  }

  /**
   * The protobuf form of this request, when it prefers protobuf: Accept for protobuf (unless the
   * caller set Accept), the body as an envelope when the codec handles its kind, and the JSON
   * form to fall back to.
   */
  #protobufRecipe(jsonHeaders: Record<string, string>): { recipe: ProtobufRecipe; headers: Record<string, string>; body: Uint8Array | string | undefined } | undefined {
    const codec = this.#protobuf === undefined ? this.#target.protobuf : this.#protobuf;
    if (!codec) return undefined;
    const preferences = this.#target.jsonPreferences;
    const key = `${this.#pathPrefix}|${this.#resource.toLowerCase()}|${this.#subresource}`;
    if (preferences?.has(key)) return undefined;
    const headers = { ...jsonHeaders };
    if (!this.#headers.has('accept')) headers.accept = PROTOBUF_ACCEPT;
    let body = this.#body?.bytes;
    // Encoded from the JSON made when body() was called, not from the caller's object, which may have
    // changed since: both forms of the request say the same thing (and hold JSON's values: no Dates).
    const object = this.#body?.fromObject ? (JSON.parse(body as string) as object) : undefined;
    const type = object && typeMetaOf(object);
    if (object && type && codec.handles(type)) {
      body = encodeEnvelope(type, codec.encode(type, object));
      headers['content-type'] = PROTOBUF_CONTENT_TYPE;
    }
    // The JSON form asks for JSON even when the caller's own Accept named protobuf.
    const json = { ...jsonHeaders };
    if (json.accept?.toLowerCase().includes(PROTOBUF_CONTENT_TYPE)) delete json.accept;
    return {
      recipe: { codec, json: { headers: json, body: this.#body?.bytes }, preferJson: () => preferences?.add(key) },
      headers,
      body,
    };
  }

  /**
   * Sends the request with client-go's retry rules. Resolves with the 2xx {@link Result};
   * `.into<T>()`, `.text()` and `.raw()` on the returned promise decode it in the same line.
   * Non-2xx answers reject with `StatusError`, failures without a response with `RequestError`.
   *
   * @example
   * ```ts
   * const cm = await core.get().namespace('default').resource('configmaps').name('app').do().into<ConfigMap>();
   * ```
   */
  do(): ResponsePromise {
    let recipe: RequestRecipe;
    try {
      recipe = this.toRecipe();
    } catch (error) {
      return toResponsePromise(Promise.reject(error));
    }
    return toResponsePromise(this.#target.sender.do(recipe));
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
    return this.#target.sender.watch<T>(this.toRecipe({ longRunning: true }));
  }

  /** Sends the request and returns the response body as a byte stream (for logs and other long responses). */
  async stream(): Promise<ReadableStream<Uint8Array>> {
    return this.#target.sender.stream(this.toRecipe({ longRunning: true }));
  }
}

/** An object's apiVersion and kind, when it has both (a body without them stays JSON). */
function typeMetaOf(object: object): ProtobufTypeMeta | undefined {
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && typeof kind === 'string' && apiVersion && kind ? { apiVersion, kind } : undefined;
}

import { joinPath } from './request/go-path.ts';
import type { GroupVersion } from './meta/group-version.ts';
import type { PatchType } from './request/patch-type.ts';
import { JsonPreferences } from './protobuf/negotiation.ts';
import type { ProtobufCodec } from './protobuf/protobuf-codec.ts';
import { Request, type RequestTarget } from './request/request.ts';
import type { RestConfig } from './rest-config.ts';
import { HttpClient } from './transport/http-client.ts';
import type { RateLimiter } from './transport/rate-limiter.ts';

/** Options of {@link RestClient} beyond the {@link RestConfig}. */
export interface RestClientOptions {
  /**
   * The group-version every request addresses: paths start with `/api/v1` (core) or
   * `/apis/<group>/<version>`. Without it, paths start at the server root (use `absPath`).
   */
  groupVersion?: GroupVersion | undefined;
  /** Override the API root (`/api` for core, `/apis` otherwise). */
  apiPath?: string | undefined;
  /**
   * Prefer protobuf on the wire (client-go's `ContentType: application/vnd.kubernetes.protobuf`
   * with `AcceptContentTypes: application/vnd.kubernetes.protobuf, application/json`): requests
   * accept protobuf with a JSON fallback, object bodies of kinds the codec handles are sent as
   * protobuf, and answers are decoded by their Content-Type (custom resources stay JSON). A
   * resource whose request the server refuses with 406 or 415 is sent again once as JSON, and
   * this client uses JSON for it from then on. Per request: `Request.protobuf(codec | null)`.
   */
  protobuf?: ProtobufCodec | undefined;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise (client-go's `DefaultVersionedAPIPath`). */
export function versionedApiPath(groupVersion: GroupVersion | undefined, apiPath?: string): string {
  if (!groupVersion) return apiPath ?? '';
  const root = apiPath ?? (groupVersion.group === '' ? '/api' : '/apis');
  return groupVersion.group === '' ? `${root}/${groupVersion.version}` : `${root}/${groupVersion.group}/${groupVersion.version}`;
}

/**
 * The request builder of one group-version (client-go's `rest.RESTClient`), over an
 * {@link HttpClient} that authenticates, rate-limits, retries and turns failures into typed
 * errors. Made over a shared HttpClient (`new RestClient(http, …)`, client-go's
 * `RESTClientForConfigAndClient`), it shares that client's pool and rate limiter; made from a
 * RestConfig, it makes an HttpClient of its own, which {@link RestClient.close} closes.
 *
 * @example
 * ```ts
 * const core = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
 * const list = await core.get().namespace('default').resource('configmaps').params({ limit: 50 }).do().into<ConfigMapList>();
 * await core.close();
 * ```
 */
export class RestClient implements AsyncDisposable {
  /** The HttpClient that sends this client's requests. */
  readonly http: HttpClient;
  readonly groupVersion: GroupVersion | undefined;
  /** The protobuf codec requests of this client use by default (see {@link RestClientOptions.protobuf}). */
  readonly protobuf: ProtobufCodec | undefined;
  /** The resources this client has learned to request as JSON after the server refused protobuf. */
  readonly jsonPreferences: JsonPreferences = new JsonPreferences();
  readonly #ownsHttp: boolean;
  readonly #target: RequestTarget;

  constructor(configOrHttp: RestConfig | HttpClient, options: RestClientOptions = {}) {
    this.#ownsHttp = !(configOrHttp instanceof HttpClient);
    this.http = configOrHttp instanceof HttpClient ? configOrHttp : new HttpClient(configOrHttp);
    this.groupVersion = options.groupVersion;
    this.protobuf = options.protobuf;
    this.#target = {
      base: this.http.base,
      pathPrefix: joinPath('/', this.http.base.pathname, versionedApiPath(options.groupVersion, options.apiPath)),
      timeoutMs: this.http.timeoutMs,
      maxRetries: this.http.maxRetries,
      sender: this.http,
      protobuf: options.protobuf,
      jsonPreferences: this.jsonPreferences,
    };
  }

  /** The config of this client's HttpClient. */
  get config(): Readonly<RestConfig> {
    return this.http.config;
  }

  /** The rate limiter of this client's HttpClient (shared by every client made over it). */
  get rateLimiter(): RateLimiter {
    return this.http.rateLimiter;
  }

  /** A request with any verb. */
  verb(verb: string): Request {
    return new Request(this.#target, verb.toUpperCase());
  }

  /** A GET request (get, list, watch). */
  get(): Request<'GET'> {
    return new Request(this.#target, 'GET');
  }

  /** A POST request (create). */
  post(): Request<'POST'> {
    return new Request(this.#target, 'POST');
  }

  /** A PUT request (update). */
  put(): Request<'PUT'> {
    return new Request(this.#target, 'PUT');
  }

  /** A PATCH request with the given patch content type ({@link PatchType}). */
  patch(type: PatchType): Request<'PATCH'> {
    return new Request(this.#target, 'PATCH').patchType(type);
  }

  /** A DELETE request. */
  delete(): Request<'DELETE'> {
    return new Request(this.#target, 'DELETE');
  }

  /**
   * Closes the HttpClient this client made for itself. A client made over a shared HttpClient
   * leaves it open: close that HttpClient where it was made.
   */
  async close(): Promise<void> {
    if (this.#ownsHttp) await this.http.close();
  }

  /** `await using client = new RestClient(config)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

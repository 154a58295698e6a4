import {
  HttpClient,
  type RequestRecipe,
  type ResponsePromise,
  Result,
  RestClient,
  type RestClientOptions,
  type RestConfig,
  StatusError,
  toResponsePromise,
} from '@kgo/rest';
import type { HttpCache } from './http-cache.ts';

// What the executor sends when a recipe sets no Accept header.
const DEFAULT_ACCEPT = 'application/json, */*';

/**
 * An HttpClient whose GET calls (`do()`) go through an {@link HttpCache} — client-go's cache
 * round-tripper, which kubectl puts under its discovery client. A stored response is revalidated
 * with `If-None-Match: <etag>`; a `304 Not Modified` is answered with the stored body (status
 * 200, header `x-from-cache: 1`), and a new `200` with an `ETag` replaces the stored one. So an
 * expired discovery cache costs 304s, not bodies. Responses without an `ETag` (legacy discovery,
 * `/version`) pass through unstored; watches, streams and other verbs are untouched.
 *
 * It works on the request recipes every RestClient over it sends, so any client made over it
 * (a DiscoveryClient's RestClient) is cached.
 *
 * @example
 * ```ts
 * const http = new CachingHttpClient(config, new HttpCache('./cache/http'));
 * const discovery = new DiscoveryClient(new RestClient(http));
 * ```
 */
export class CachingHttpClient extends HttpClient {
  /** Where responses are kept. */
  readonly httpCache: HttpCache;

  constructor(config: RestConfig, httpCache: HttpCache) {
    super(config);
    this.httpCache = httpCache;
  }

  /** A GET is answered through the HTTP cache; anything else is sent as it is. */
  override do(recipe: RequestRecipe): ResponsePromise {
    if (recipe.method !== 'GET') return super.do(recipe);
    return toResponsePromise(this.#cachedDo(recipe));
  }

  async #cachedDo(recipe: RequestRecipe): Promise<Result> {
    const url = recipe.url.toString();
    const accept = recipe.headers.accept ?? DEFAULT_ACCEPT;
    const stored = await this.httpCache.get(url, accept);
    const sent = stored ? { ...recipe, headers: { ...recipe.headers, 'if-none-match': stored.etag } } : recipe;
    try {
      const result = await super.do(sent);
      const etag = result.headers.get('etag');
      if (etag && result.statusCode === 200) await this.httpCache.put(url, accept, { etag, contentType: result.contentType, body: result.body });
      return result;
    } catch (error) {
      if (!stored || !StatusError.isInstance(error) || error.code !== 304) throw error;
      const headers = new Headers({ 'content-type': stored.contentType, etag: stored.etag, 'x-from-cache': '1' });
      return new Result(200, headers, stored.body, [], error.request ?? { verb: 'GET', url });
    }
  }
}

/**
 * A RestClient over its own {@link CachingHttpClient} (closed by {@link HttpCachingRestClient.close}):
 * hand it to a DiscoveryClient, or to anything that takes a RestClient.
 *
 * @example
 * ```ts
 * const rest = new HttpCachingRestClient(config, new HttpCache('./cache/http'));
 * const apis = await rest.get().absPath('/apis').setHeader('accept', AGGREGATED).do().into(); // 304 after the first run
 * ```
 */
export class HttpCachingRestClient extends RestClient {
  /** Where responses are kept. */
  readonly httpCache: HttpCache;

  constructor(config: RestConfig, httpCache: HttpCache, options?: RestClientOptions) {
    super(new CachingHttpClient(config, httpCache), options);
    this.httpCache = httpCache;
  }

  /** Closes the CachingHttpClient this client made. */
  override async close(): Promise<void> {
    await this.http.close();
  }
}

import { type Request, Result, RestClient, type RestClientOptions, type RestConfig, StatusError } from '@kgo/rest';
import type { HttpCache } from './http-cache.ts';

// What Request.do() sends when the caller sets no Accept header.
const DEFAULT_ACCEPT = 'application/json, */*';

/**
 * A RestClient whose GET calls (`do()`) go through an {@link HttpCache} — client-go's cache
 * round-tripper, which kubectl puts under its discovery client. A stored response is revalidated
 * with `If-None-Match: <etag>`; a `304 Not Modified` is answered with the stored body (status
 * 200, header `x-from-cache: 1`), and a new `200` with an `ETag` replaces the stored one. So an
 * expired discovery cache costs 304s, not bodies. Responses without an `ETag` (legacy discovery,
 * `/version`) pass through unstored; watches, streams and other verbs are untouched.
 *
 * Hand it to a DiscoveryClient (or anything that takes a RestClient); it works through
 * @kgo/rest's public request API only.
 *
 * @example
 * ```ts
 * const rest = new HttpCachingRestClient(config, new HttpCache('./cache/http'));
 * const apis = (await rest.get().absPath('/apis').setHeader('accept', AGGREGATED).do()).into(); // 304 after the first run
 * ```
 */
export class HttpCachingRestClient extends RestClient {
  /** Where responses are kept. */
  readonly httpCache: HttpCache;

  constructor(config: RestConfig, httpCache: HttpCache, options?: RestClientOptions) {
    super(config, options);
    this.httpCache = httpCache;
  }

  /** A request with any verb; a GET's `do()` is answered through the HTTP cache. */
  override verb(verb: string): Request {
    const request = super.verb(verb);
    const state = { get: verb.toUpperCase() === 'GET', accept: DEFAULT_ACCEPT };
    const setVerb = request.verb.bind(request);
    const setHeader = request.setHeader.bind(request);
    const send = request.do.bind(request);
    // The request's own methods keep working; these only watch what the cache key depends on.
    request.verb = (next: string) => {
      state.get = next.toUpperCase() === 'GET';
      return setVerb(next);
    };
    request.setHeader = (name: string, value: string) => {
      if (name.toLowerCase() === 'accept') state.accept = value;
      return setHeader(name, value);
    };
    request.do = () => (state.get ? this.#cachedDo(request, setHeader, send, state.accept) : send());
    return request;
  }

  async #cachedDo(request: Request, setHeader: (name: string, value: string) => Request, send: () => Promise<Result>, accept: string): Promise<Result> {
    if (request.error()) return send();
    const url = request.url().toString();
    const stored = await this.httpCache.get(url, accept);
    if (stored) setHeader('if-none-match', stored.etag);
    try {
      const result = await send();
      const etag = result.headers.get('etag');
      if (etag && result.statusCode === 200) await this.httpCache.put(url, accept, { etag, contentType: result.contentType, body: result.body });
      return result;
    } catch (error) {
      if (!stored || !StatusError.isInstance(error) || error.code !== 304) throw error;
      const headers = new Headers({ 'content-type': stored.contentType, etag: stored.etag, 'x-from-cache': '1' });
      return new Result(200, headers, stored.body, [], `GET ${url}`);
    }
  }
}

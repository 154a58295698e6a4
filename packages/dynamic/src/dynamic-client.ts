import { formatApiVersion, type GroupVersionResource, HttpClient, type RestConfig, RestClient } from '@kgo/rest';
import { ResourceClient, type ResourceClientContext } from './resource-client.ts';

/** Options of a {@link DynamicClient}. */
export interface DynamicClientOptions {
  /**
   * Decode integers beyond ±(2^53 − 1) as `bigint`, exactly, instead of the rounded `number`
   * `JSON.parse` gives (read them with `nestedInt64`). Off by default: every decoded value then
   * passes a reviver, which slows large lists down. Watch events always decode as numbers.
   * Bodies sent always write a `bigint` as an exact JSON number, whatever this says.
   */
  exactIntegers?: boolean | undefined;
}

/**
 * client-go's `dynamic.DynamicClient`: every verb on any group/version/resource, custom resources
 * included, with objects as plain JSON. Made from a {@link RestConfig} (it then makes and owns an
 * {@link HttpClient}) or over a shared HttpClient (`NewForConfigAndClient`: one connection pool
 * and one rate limiter with every other client made over it). It makes one {@link RestClient}
 * per group-version, when first used, over that HttpClient.
 *
 * @example
 * ```ts
 * await using dynamic = new DynamicClient(config);
 * const widgets = dynamic.resource({ group: 'example.com', version: 'v1', resource: 'widgets' });
 * const list = await widgets.namespace('default').list({ labelSelector: 'app=demo' });
 * ```
 */
export class DynamicClient implements AsyncDisposable {
  /** The HttpClient every request goes through. */
  readonly http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #restClients = new Map<string, RestClient>();
  readonly #context: ResourceClientContext;

  /** Over `configOrHttp`: a RestConfig (this client makes and owns its HttpClient) or a shared HttpClient. */
  constructor(configOrHttp: RestConfig | HttpClient, options: DynamicClientOptions = {}) {
    this.#ownsHttp = !(configOrHttp instanceof HttpClient);
    this.http = configOrHttp instanceof HttpClient ? configOrHttp : new HttpClient(configOrHttp);
    this.#context = {
      exactIntegers: options.exactIntegers === true,
      restClientFor: (gvr) => this.#restClientFor(gvr),
    };
  }

  /**
   * A client for one resource, at the cluster scope; `.namespace(ns)` scopes it to a namespace.
   * The resource is the plural, lowercase name (`deployments`), as discovery lists it.
   */
  resource(gvr: GroupVersionResource): ResourceClient {
    if (typeof gvr !== 'object' || gvr === null) throw new TypeError('resource() needs a { group, version, resource }');
    const { group, version, resource } = gvr;
    if (typeof group !== 'string') throw new TypeError(`resource(): group must be a string ('' for the core group), got ${typeof group}`);
    if (typeof version !== 'string' || version === '') throw new TypeError(`resource(): version is required (e.g. 'v1'), got ${JSON.stringify(version)}`);
    if (typeof resource !== 'string' || resource === '') throw new TypeError(`resource(): resource is required (the plural name, e.g. 'deployments'), got ${JSON.stringify(resource)}`);
    return new ResourceClient(this.#context, { group, version, resource });
  }

  #restClientFor(gvr: GroupVersionResource): RestClient {
    const key = formatApiVersion(gvr);
    let client = this.#restClients.get(key);
    if (!client) {
      client = new RestClient(this.http, { groupVersion: { group: gvr.group, version: gvr.version } });
      this.#restClients.set(key, client);
    }
    return client;
  }

  /**
   * Closes the HttpClient this client made for itself; one passed in stays open (close it where
   * it was made).
   */
  async close(): Promise<void> {
    if (this.#ownsHttp) await this.http.close();
  }

  /** `await using dynamic = new DynamicClient(config)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

import { DecodeError, type RestClient } from '@kgo/rest';
import type { DiscoveryOptions } from './discovery-interface.ts';
import type { OpenAPIGroupVersion, OpenAPIV3Client, OpenAPIV3Document, OpenAPIV3Index } from './model/openapi-v3.ts';

/** One group-version's document, fetched at its `serverRelativeURL` (hash included, so caches can keep it forever). */
class OpenAPIV3GroupVersion implements OpenAPIGroupVersion {
  readonly path: string;
  readonly serverRelativeURL: string;
  readonly hash: string | undefined;
  readonly #client: RestClient;

  constructor(client: RestClient, path: string, serverRelativeURL: string) {
    this.#client = client;
    this.path = path;
    this.serverRelativeURL = serverRelativeURL;
    this.hash = new URL(serverRelativeURL, 'http://server').searchParams.get('hash') ?? undefined;
  }

  async schema(options?: DiscoveryOptions): Promise<OpenAPIV3Document> {
    const url = new URL(this.serverRelativeURL, 'http://server');
    const request = this.#client.get().absPath(url.pathname).setHeader('accept', 'application/json');
    for (const [key, value] of url.searchParams) request.param(key, value);
    if (options?.signal) request.signal(options.signal);
    const document = (await request.do()).into<OpenAPIV3Document>();
    if (!document || typeof document !== 'object' || typeof document.openapi !== 'string') {
      throw new DecodeError(`GET ${request.url()}: the response is not an OpenAPI v3 document (no "openapi" field)`, { verb: 'GET', url: request.url().toString() });
    }
    return document;
  }
}

/**
 * The server's OpenAPI v3 documents (client-go `openapi.Client`): `paths()` reads the index at
 * `/openapi/v3`; each entry's `schema()` fetches that group-version's document.
 */
export class OpenAPIV3 implements OpenAPIV3Client {
  readonly #client: RestClient;

  constructor(client: RestClient) {
    this.#client = client;
  }

  async paths(options?: DiscoveryOptions): Promise<Map<string, OpenAPIGroupVersion>> {
    const request = this.#client.get().absPath('/openapi/v3').setHeader('accept', 'application/json');
    if (options?.signal) request.signal(options.signal);
    const index = (await request.do()).into<OpenAPIV3Index>();
    if (!index || typeof index.paths !== 'object' || index.paths === null) {
      throw new DecodeError(`GET ${request.url()}: the response is not an OpenAPI v3 index (no "paths")`, { verb: 'GET', url: request.url().toString() });
    }
    const result = new Map<string, OpenAPIGroupVersion>();
    for (const [path, entry] of Object.entries(index.paths)) {
      if (typeof entry?.serverRelativeURL === 'string') result.set(path, new OpenAPIV3GroupVersion(this.#client, path, entry.serverRelativeURL));
    }
    return result;
  }
}

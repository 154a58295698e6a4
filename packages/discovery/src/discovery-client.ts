import { DecodeError, isNotFound, parseGroupVersion, type Request, RestClient, type RestConfig } from '@kgo/rest';
import { AGGREGATED_DISCOVERY, API_GROUP_LIST, API_RESOURCE_LIST, API_VERSIONS, checkDocument } from './document-shapes.ts';
import { ACCEPT_DISCOVERY, ACCEPT_LEGACY, apiVersionsToAPIGroup, discoveryFormat, groupList, splitGroupsAndResources } from './aggregated-discovery.ts';
import type { DiscoveryInterface, DiscoveryOptions, GroupsAndMaybeResources, GroupsAndResources } from './discovery-interface.ts';
import {
  DEFAULT_DISCOVERY_CONCURRENCY,
  serverGroupsAndResources,
  serverPreferredNamespacedResources,
  serverPreferredResources,
} from './helpers/server-groups-and-resources.ts';
import type { APIGroup, APIGroupList, APIVersions } from './model/api-group.ts';
import type { APIResourceList } from './model/api-resource.ts';
import type { APIGroupDiscoveryList } from './model/aggregated-discovery.ts';
import type { OpenAPIV3Client } from './model/openapi-v3.ts';
import type { VersionInfo } from './model/version-info.ts';
import { OpenAPIV3 } from './openapi-v3-client.ts';
import { serverVersion } from './server-version.ts';

/** Options of {@link DiscoveryClient}. */
export interface DiscoveryClientOptions {
  /** Never ask for aggregated discovery: read the legacy documents (client-go `UseLegacyDiscovery`). */
  legacy?: boolean | undefined;
  /** Group-versions a legacy walk reads at once (default {@link DEFAULT_DISCOVERY_CONCURRENCY}). */
  concurrency?: number | undefined;
}

/** client-go's discovery defaults: bursty (300) because a legacy walk sends one request per group-version, and 32 s per call. */
const DISCOVERY_BURST = 300;
const DISCOVERY_TIMEOUT_MS = 32_000;

function isRestClient(source: RestConfig | RestClient): source is RestClient {
  return typeof (source as RestClient).get === 'function' && typeof (source as RestClient).verb === 'function';
}

/**
 * The discovery config client-go derives (`setDiscoveryDefaults`): the caller's config with a
 * burst of 300 unless one was set, and a 32 s timeout unless one was set. A copy, so the rate
 * limiter is discovery's own.
 */
export function discoveryConfig(config: RestConfig): RestConfig {
  return { ...config, burst: config.burst || DISCOVERY_BURST, timeoutMs: config.timeoutMs || DISCOVERY_TIMEOUT_MS };
}

/**
 * Asks the API server what it serves (client-go `discovery.DiscoveryClient`): groups, versions,
 * resources, the server version and the OpenAPI v3 documents. Uses aggregated discovery
 * (2 requests for everything) when the server offers it, else the legacy documents (2 requests
 * plus one per group-version, in parallel). No caching: wrap it in a cache from
 * `@kgo/discovery-cache` for that.
 *
 * @example
 * ```ts
 * const discovery = new DiscoveryClient(config);
 * const { groups, resources } = await discovery.serverGroupsAndResources();
 * for (const list of resources) for (const r of list.resources) console.log(list.groupVersion, r.name, r.kind);
 * ```
 */
export class DiscoveryClient implements DiscoveryInterface {
  /** The client every request goes through (paths are absolute, so its group-version does not matter). */
  readonly restClient: RestClient;
  readonly #legacy: boolean;
  readonly #concurrency: number;

  /**
   * From a RestConfig (client-go `NewDiscoveryClientForConfig`: burst 300, 32 s timeout unless
   * the config sets them; see {@link discoveryConfig}), or over an existing RestClient, whose
   * rate limiter and connection pool it then shares (`NewDiscoveryClient`).
   */
  constructor(source: RestConfig | RestClient, options: DiscoveryClientOptions = {}) {
    this.restClient = isRestClient(source) ? source : new RestClient(discoveryConfig(source));
    this.#legacy = options.legacy === true;
    this.#concurrency = options.concurrency ?? DEFAULT_DISCOVERY_CONCURRENCY;
  }

  #get(path: string, options: DiscoveryOptions | undefined): Request {
    const request = this.restClient.get().absPath(path);
    if (options?.signal) request.signal(options.signal);
    return request;
  }

  /** The server's build information (`GET /version`). */
  serverVersion(options?: DiscoveryOptions): Promise<VersionInfo> {
    return serverVersion(this.restClient, options?.signal);
  }

  /** Every group, the core group first (`GET /api` and `GET /apis`; client-go `ServerGroups`). */
  async serverGroups(options?: DiscoveryOptions): Promise<APIGroupList> {
    return (await this.groupsAndMaybeResources(options)).groups;
  }

  /**
   * `/api` then `/apis`, each asking for aggregated discovery (client-go
   * `GroupsAndMaybeResources`). Resources are returned only when both answered aggregated. `/api`
   * 404 means an empty core (some aggregated servers); any `/apis` error is thrown.
   */
  async groupsAndMaybeResources(options?: DiscoveryOptions): Promise<GroupsAndMaybeResources> {
    const accept = this.#legacy ? ACCEPT_LEGACY : ACCEPT_DISCOVERY;
    const [core, apis] = await Promise.all([this.#download('/api', accept, options), this.#download('/apis', accept, options)]);
    const groups = [...core.groups, ...apis.groups];
    const failed = new Map([...core.failed, ...apis.failed]);
    // Only when both endpoints sent resources is the set complete (client-go: "for safety").
    const resources = core.resources && apis.resources ? new Map([...core.resources, ...apis.resources]) : undefined;
    return { groups: groupList(groups), resources, failed };
  }

  async #download(
    path: '/api' | '/apis',
    accept: string,
    options: DiscoveryOptions | undefined,
  ): Promise<{ groups: APIGroup[]; resources: Map<string, APIResourceList> | undefined; failed: Map<string, Error> }> {
    const request = this.#get(path, options).setHeader('accept', accept);
    let result;
    try {
      result = await request.do();
    } catch (error) {
      if (path === '/api' && isNotFound(error)) return { groups: [], resources: new Map(), failed: new Map() };
      throw error;
    }
    const format = discoveryFormat(result.contentType);
    const what = { verb: 'GET', url: request.url().toString() };
    if (format !== 'legacy') {
      const document = checkDocument<APIGroupDiscoveryList>(result.into<unknown>(), AGGREGATED_DISCOVERY, `APIGroupDiscoveryList (${format})`, what);
      return splitGroupsAndResources(document);
    }
    if (path === '/api') {
      const versions = checkDocument<APIVersions>(result.into<unknown>(), API_VERSIONS, 'APIVersions document', what);
      if (!Array.isArray(versions.versions)) throw new DecodeError(`GET ${what.url}: the response is not an APIVersions document (no versions)`, what);
      return { groups: [apiVersionsToAPIGroup(versions)], resources: undefined, failed: new Map() };
    }
    const list = checkDocument<APIGroupList>(result.into<unknown>(), API_GROUP_LIST, 'APIGroupList', what);
    if (!Array.isArray(list.groups)) throw new DecodeError(`GET ${what.url}: the response is not an APIGroupList (no groups)`, what);
    return { groups: list.groups, resources: undefined, failed: new Map() };
  }

  /**
   * The resources of one group-version from its legacy document (`GET /api/v1`,
   * `GET /apis/<group>/<version>`). Core `v1` answering 404 is an empty list (client-go); any
   * other error is thrown (a StatusError NotFound for a group-version the server lacks).
   */
  async serverResourcesForGroupVersion(groupVersion: string, options?: DiscoveryOptions): Promise<APIResourceList> {
    const { group, version } = parseGroupVersion(groupVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const request = this.#get(path, options).setHeader('accept', ACCEPT_LEGACY);
    let list: APIResourceList;
    try {
      list = checkDocument<APIResourceList>((await request.do()).into<unknown>(), API_RESOURCE_LIST, 'APIResourceList', { verb: 'GET', url: request.url().toString() });
    } catch (error) {
      if (groupVersion === 'v1' && isNotFound(error)) return { groupVersion, resources: [] };
      throw error;
    }
    // client-go fills in the group-version when the server leaves it out.
    list.groupVersion ||= groupVersion;
    list.resources ??= [];
    return list;
  }

  /** Groups and every group-version's resources; see {@link serverGroupsAndResources}. */
  serverGroupsAndResources(options?: DiscoveryOptions): Promise<GroupsAndResources> {
    return serverGroupsAndResources(this, { concurrency: this.#concurrency, ...options });
  }

  /** Every group-resource in its preferred version; see {@link serverPreferredResources}. */
  serverPreferredResources(options?: DiscoveryOptions): Promise<APIResourceList[]> {
    return serverPreferredResources(this, { concurrency: this.#concurrency, ...options });
  }

  /** The namespaced preferred resources; see {@link serverPreferredNamespacedResources}. */
  serverPreferredNamespacedResources(options?: DiscoveryOptions): Promise<APIResourceList[]> {
    return serverPreferredNamespacedResources(this, { concurrency: this.#concurrency, ...options });
  }

  /** The OpenAPI v3 documents: the index at `/openapi/v3` and each group-version's schema. */
  openAPIV3(): OpenAPIV3Client {
    return new OpenAPIV3(this.restClient);
  }

  /** Always true: everything this client returns was just fetched. */
  fresh(): boolean {
    return true;
  }

  /** Nothing to forget: this client keeps nothing. */
  invalidate(): void {}
}

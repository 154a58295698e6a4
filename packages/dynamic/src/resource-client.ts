import {
  formatGroupResource,
  type GroupVersionResource,
  PatchType,
  type Request,
  type ResponsePromise,
  type RestClient,
  type Unstructured,
  type UnstructuredList,
  type Watch,
} from '@kgo/rest';
import { parseJson, stringifyJson } from './json.ts';
import { collectPages, pageThrough } from './list-pager.ts';
import { getName } from './object-meta-accessors.ts';
import type {
  ApplyOptions,
  CallOptions,
  DynamicCreateOptions,
  DynamicDeleteCollectionOptions,
  DynamicDeleteOptions,
  DynamicGetOptions,
  DynamicListOptions,
  DynamicPatchOptions,
  DynamicUpdateOptions,
  ListAllOptions,
  SubresourceOption,
} from './options.ts';
import { isJsonObject } from './unstructured.ts';

/** What a {@link ResourceClient} needs from the DynamicClient that made it. */
export interface ResourceClientContext {
  /** The RestClient of a group-version, over the DynamicClient's HttpClient. */
  restClientFor(gvr: GroupVersionResource): RestClient;
  /** Decode integers beyond ±(2^53 − 1) as bigint. */
  readonly exactIntegers: boolean;
}

/** A {@link ResourceClient} scoped to one namespace (client-go's `ResourceInterface`). */
export type NamespacedResourceClient = Omit<ResourceClient, 'namespace'>;

type Subresource = SubresourceOption['subresource'];

/**
 * Every verb on one resource (client-go's `NamespaceableResourceInterface`): made by
 * `DynamicClient.resource(gvr)`, it addresses the cluster scope (cluster-scoped resources, or a
 * namespaced resource across all namespaces); {@link ResourceClient.namespace} scopes it to
 * one namespace. Objects are plain JSON ({@link Unstructured}).
 *
 * Checks client-go makes before any request fail the same way, before any request: `name is
 * required` (a TypeError), and names, namespaces and subresources that are `.`, `..` or contain
 * `/` or `%`. The server's refusals are `StatusError`s from `@kgo/rest` (`isNotFound`,
 * `isConflict`, …).
 */
export class ResourceClient {
  /** The group, version and resource every request addresses. */
  readonly gvr: GroupVersionResource;
  /** The namespace requests are scoped to; `''` for the cluster scope. */
  readonly namespaceName: string;
  readonly #context: ResourceClientContext;

  /** @internal Made by `DynamicClient.resource()`. */
  constructor(context: ResourceClientContext, gvr: GroupVersionResource, namespace = '') {
    this.#context = context;
    this.gvr = gvr;
    this.namespaceName = namespace;
  }

  /**
   * The same resource in one namespace (`namespaces/<ns>/…` in every path). An empty namespace
   * keeps the cluster scope, as client-go's does.
   */
  namespace(namespace: string): NamespacedResourceClient {
    if (typeof namespace !== 'string') throw new TypeError(`namespace must be a string, got ${typeof namespace}`);
    if (this.namespaceName) throw new TypeError(`this client is already scoped to namespace ${JSON.stringify(this.namespaceName)}`);
    return new ResourceClient(this.#context, this.gvr, namespace);
  }

  /** `deployments.apps in namespace "a"`, for messages. */
  describe(): string {
    const resource = formatGroupResource(this.gvr);
    return this.namespaceName ? `${resource} in namespace ${JSON.stringify(this.namespaceName)}` : resource;
  }

  /** One object by name (GET), or a subresource of it (`{ subresource: 'scale' }`). */
  async get(name: string, options: DynamicGetOptions = {}): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, ...query } = options;
    requireName(name);
    return this.#decode(this.#request(this.#rest().get(), name, subresource, { signal, timeoutMs }).params(query).do());
  }

  /**
   * One list request (GET on the collection). Items come with `apiVersion` and `kind` filled in
   * from the list when the server left them out (as it does for built-in types), as client-go's
   * unstructured decoder does. For a large list, see {@link ResourceClient.listAll} and
   * {@link ResourceClient.listItems}.
   */
  async list(options: DynamicListOptions = {}): Promise<UnstructuredList> {
    const { signal, timeoutMs, ...query } = options;
    const list = await this.#decode<UnstructuredList>(this.#request(this.#rest().get(), undefined, undefined, { signal, timeoutMs }).params(query).do());
    return typeItems(list);
  }

  /**
   * Every item, read in pages of `limit` (default 500) across `continue` tokens, in one list
   * whose metadata is the first page's. An expired token (410) is an error or, with
   * `onExpired: 'restart'`, a fresh start.
   *
   * @example
   * ```ts
   * const all = await dynamic.resource(configMaps).namespace('big').listAll({ limit: 100 });
   * ```
   */
  async listAll(options: ListAllOptions = {}): Promise<UnstructuredList> {
    return collectPages(pageThrough((page) => this.list(page), options, this.describe()));
  }

  /** Every page of a list, one request per page as the loop asks for it (see {@link ResourceClient.listAll}). */
  async *listPages(options: ListAllOptions = {}): AsyncGenerator<UnstructuredList, void, undefined> {
    for await (const { page } of pageThrough((page) => this.list(page), options, this.describe())) yield page;
  }

  /**
   * Every item of a list, one page at a time, so memory holds one page (see
   * {@link ResourceClient.listAll}).
   *
   * @example
   * ```ts
   * for await (const cm of dynamic.resource(configMaps).namespace('big').listItems({ limit: 100 })) console.log(getName(cm));
   * ```
   */
  async *listItems(options: ListAllOptions = {}): AsyncGenerator<Unstructured, void, undefined> {
    for await (const { page } of pageThrough((page) => this.list(page), options, this.describe())) yield* page.items;
  }

  /**
   * Starts a watch (ListOptions, e.g. `resourceVersion` from a list) and resolves once the server
   * accepted it; iterate it with `for await`. Not rate-limited, not retried.
   */
  async watch(options: DynamicListOptions = {}): Promise<Watch<Unstructured>> {
    const { signal, timeoutMs, ...query } = options;
    return this.#request(this.#rest().get(), undefined, undefined, { signal, timeoutMs }).params(query).watch<Unstructured>();
  }

  /**
   * Creates an object (POST). With a subresource (`{ subresource: 'eviction' }`) the object's
   * `metadata.name` names the parent object, and is required.
   */
  async create(obj: Unstructured, options: DynamicCreateOptions = {}): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, ...query } = options;
    requireObject(obj, 'create');
    const name = subresources(subresource).length > 0 ? requireName(getName(obj)) : undefined;
    const request = this.#request(this.#rest().post(), name, subresource, { signal, timeoutMs }).params(query);
    return this.#decode(request.body(stringifyJson(obj), 'application/json').do());
  }

  /** Replaces an object (PUT), or a subresource of it such as `scale`; `metadata.name` is required. */
  async update(obj: Unstructured, options: DynamicUpdateOptions = {}): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, ...query } = options;
    requireObject(obj, 'update');
    const name = requireName(getName(obj));
    const request = this.#request(this.#rest().put(), name, subresource, { signal, timeoutMs }).params(query);
    return this.#decode(request.body(stringifyJson(obj), 'application/json').do());
  }

  /** Replaces an object's status (PUT on the `status` subresource); `metadata.name` is required. */
  async updateStatus(obj: Unstructured, options: Omit<DynamicUpdateOptions, 'subresource'> = {}): Promise<Unstructured> {
    return this.update(obj, { ...options, subresource: 'status' });
  }

  /**
   * Deletes an object (DELETE, with the DeleteOptions as the body, as client-go sends them:
   * `{"kind":"DeleteOptions","apiVersion":"v1",…}`). Resolves with the server's answer: the
   * object as it now is (with `deletionTimestamp` set while finalizers hold it) or a `Status`.
   */
  async delete(name: string, options: DynamicDeleteOptions = {}): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, ...deleteOptions } = options;
    requireName(name);
    const request = this.#request(this.#rest().delete(), name, subresource, { signal, timeoutMs });
    return this.#decode(request.body(deleteOptionsBody(deleteOptions), 'application/json').do());
  }

  /**
   * Deletes every object a selector matches (DELETE on the collection): ListOptions go in the
   * query, DeleteOptions in the body.
   *
   * @example
   * ```ts
   * await widgets.deleteCollection({ labelSelector: 'app=demo', propagationPolicy: 'Background' });
   * ```
   */
  async deleteCollection(options: DynamicDeleteCollectionOptions = {}): Promise<void> {
    const { gracePeriodSeconds, propagationPolicy, preconditions, dryRun, signal, timeoutMs, ...query } = options;
    const request = this.#request(this.#rest().delete(), undefined, undefined, { signal, timeoutMs }).params(query);
    await request.body(deleteOptionsBody({ gracePeriodSeconds, propagationPolicy, preconditions, dryRun }), 'application/json').do();
  }

  /**
   * Patches an object (PATCH) with one of the four {@link PatchType}s: JSON patch (a list of
   * operations), merge patch, strategic merge patch (built-in types only; custom resources
   * answer 415) or apply. A string or bytes are sent as they are, anything else as JSON.
   *
   * @example
   * ```ts
   * await widgets.patch('w1', PatchType.Merge, { spec: { size: 3 } });
   * ```
   */
  async patch(name: string, type: PatchType, patch: unknown, options: DynamicPatchOptions = {}): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, ...query } = options;
    requireName(name);
    if (!Object.values(PatchType).includes(type)) throw new TypeError(`unknown patch type ${JSON.stringify(type)}: use one of PatchType's`);
    const body = typeof patch === 'string' || patch instanceof Uint8Array ? patch : stringifyJson(patch);
    return this.#decode(this.#request(this.#rest().patch(type), name, subresource, { signal, timeoutMs }).params(query).body(body).do());
  }

  /**
   * Server-side apply (PATCH `application/apply-patch+yaml`): send the fields you manage, named
   * by `metadata.name`, as `fieldManager`. Fields another manager owns are a 409 Conflict unless
   * `force`. An object that carries `metadata.managedFields` (one read back from the server) is
   * refused, as client-go refuses it: apply only the fields you own.
   *
   * @example
   * ```ts
   * await widgets.apply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 2 } }, { fieldManager: 'my-tool' });
   * ```
   */
  async apply(obj: Unstructured, options: ApplyOptions): Promise<Unstructured> {
    const { subresource, signal, timeoutMs, force, ...query } = options ?? ({} as Partial<ApplyOptions>);
    requireObject(obj, 'apply');
    if (typeof query.fieldManager !== 'string' || query.fieldManager === '') {
      throw new TypeError('apply needs options.fieldManager: the name of the manager (your tool) that owns the applied fields');
    }
    const name = requireName(getName(obj));
    const managedFields = obj.metadata?.managedFields;
    if (Array.isArray(managedFields) && managedFields.length > 0) {
      throw new TypeError(
        'cannot apply an object with managed fields already set: apply only the fields this manager owns ' +
          '(build the object afresh, or delete metadata.managedFields from an object read from the server)',
      );
    }
    const request = this.#request(this.#rest().patch(PatchType.Apply), name, subresource, { signal, timeoutMs }).params({ ...query, force: force === true });
    return this.#decode(request.body(stringifyJson(obj)).do());
  }

  /** {@link ResourceClient.apply} to the `status` subresource. */
  async applyStatus(obj: Unstructured, options: Omit<ApplyOptions, 'subresource'>): Promise<Unstructured> {
    return this.apply(obj, { ...options, subresource: 'status' });
  }

  #rest(): RestClient {
    return this.#context.restClientFor(this.gvr);
  }

  /** Scopes a request to this client's namespace, resource, the name and subresource, and applies the call options. */
  #request<R extends Request<string>>(request: R, name: string | undefined, subresource: Subresource, call: CallOptions): R {
    // An empty namespace is the cluster scope; Request.namespace('') would refuse a create.
    if (this.namespaceName) request.namespace(this.namespaceName);
    request.resource(this.gvr.resource);
    if (name !== undefined) request.name(name);
    const segments = subresources(subresource);
    if (segments.length > 0) request.subresource(...segments);
    if (call.signal) request.signal(call.signal);
    if (call.timeoutMs !== undefined) request.timeout(call.timeoutMs);
    return request;
  }

  async #decode<T = Unstructured>(response: ResponsePromise): Promise<T> {
    if (!this.#context.exactIntegers) return response.into<T>();
    const result = await response;
    try {
      return parseJson<T>(result.text(), true);
    } catch {
      // The plain decoder reports an empty or broken body as a DecodeError naming the request.
      return result.into<T>();
    }
  }
}

function subresources(subresource: Subresource): readonly string[] {
  if (subresource === undefined) return [];
  return typeof subresource === 'string' ? [subresource] : subresource;
}

/** client-go's `name is required`, before any request. */
function requireName(name: string | undefined): string {
  if (typeof name !== 'string' || name === '') throw new TypeError('name is required');
  return name;
}

function requireObject(obj: unknown, verb: string): void {
  if (!isJsonObject(obj)) throw new TypeError(`${verb} needs an object, got ${obj === null ? 'null' : Array.isArray(obj) ? 'an array' : typeof obj}`);
}

/** The DeleteOptions body client-go sends (its v1 codec writes the type first); unset fields are left out. */
function deleteOptionsBody(options: Omit<DynamicDeleteOptions, 'subresource' | 'signal' | 'timeoutMs'>): string {
  return stringifyJson({ kind: 'DeleteOptions', apiVersion: 'v1', ...options });
}

/**
 * Typed lists (ConfigMapList, …) leave `apiVersion` and `kind` out of their items; client-go's
 * unstructured list decoder fills them in from the list (`kind` without its `List` suffix).
 */
function typeItems(list: UnstructuredList): UnstructuredList {
  if (!Array.isArray(list.items)) list.items = [];
  const { apiVersion, kind: listKind } = list;
  if (!listKind || !apiVersion) return list;
  const kind = listKind.endsWith('List') ? listKind.slice(0, -'List'.length) : listKind;
  for (const item of list.items) {
    if (item.kind === undefined && item.apiVersion === undefined) {
      item.apiVersion = apiVersion;
      item.kind = kind;
    }
  }
  return list;
}

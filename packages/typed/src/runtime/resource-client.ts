import {
  formatApiVersion,
  type CreateOptions,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type PatchOptions,
  PatchType,
  type Request,
  type RestClient,
  type UpdateOptions,
  type Watch,
} from '@kgo/rest';

/** What a generated client knows of one resource. */
export interface ResourceDescriptor {
  /** Plural resource name, as in the URL (`deployments`). */
  resource: string;
  /** Kind of its objects (`Deployment`). */
  kind: string;
  /** Whether objects live in a namespace. */
  namespaced: boolean;
}

/** Options of server-side apply: `fieldManager` is required, `force` takes fields another manager owns. */
export interface ApplyOptions {
  fieldManager: string;
  force?: boolean | undefined;
  dryRun?: PatchOptions['dryRun'];
  fieldValidation?: PatchOptions['fieldValidation'];
}

/** The object shape every typed resource shares. */
interface NamedObject {
  metadata?: { name?: string | undefined } | undefined;
}

/**
 * The verbs of one resource, in one namespace (or cluster-wide), for generated typed clients:
 * get, list, watch, create, update, delete, deleteCollection, patch and apply, plus helpers for
 * subresources. Generated code exposes only the verbs the server's OpenAPI lists for the
 * resource (as a `Pick` of this class), and names the subresource methods.
 */
export class ResourceClient<T extends NamedObject, TList, TApply extends NamedObject = T> {
  readonly #rest: RestClient;
  readonly #descriptor: ResourceDescriptor;
  readonly #namespace: string;
  readonly #apiVersion: string | undefined;

  /** @param namespace the namespace for namespaced resources; `''` addresses all namespaces (list and watch). */
  constructor(rest: RestClient, descriptor: ResourceDescriptor, namespace = '') {
    this.#rest = rest;
    this.#descriptor = descriptor;
    this.#namespace = namespace;
    this.#apiVersion = rest.groupVersion && formatApiVersion(rest.groupVersion);
  }

  /**
   * The object with `apiVersion` and `kind` filled in when missing, as client-go's scheme
   * encoding always sends them (the server requires them for custom resources).
   */
  #typed<O extends object>(object: O): O {
    const typeMeta = object as { apiVersion?: unknown; kind?: unknown };
    if (typeMeta.apiVersion && typeMeta.kind) return object;
    return { apiVersion: this.#apiVersion, kind: this.#descriptor.kind, ...object };
  }

  /** The namespace this client addresses (`''`: all namespaces, or cluster-scoped). */
  get namespace(): string {
    return this.#namespace;
  }

  #request<Verb extends string>(request: Request<Verb>, name?: string, subresource?: string): Request<Verb> {
    request.namespaceIfScoped(this.#namespace, this.#descriptor.namespaced).resource(this.#descriptor.resource);
    if (name !== undefined) request.name(requireName(name, this.#descriptor));
    if (subresource) request.subresource(subresource);
    return request;
  }

  /** Reads one object. */
  get(name: string, options: GetOptions = {}): Promise<T> {
    return this.#request(this.#rest.get(), name).params(options).do().into<T>();
  }

  /** Lists objects (page with `limit` and `continue`). */
  list(options: ListOptions = {}): Promise<TList> {
    return this.#request(this.#rest.get()).params(options).do().into<TList>();
  }

  /** Watches objects from `options.resourceVersion`; iterate the result with `for await`. */
  watch(options: ListOptions = {}): Promise<Watch<T>> {
    return this.#request(this.#rest.get()).params(options).watch<T>();
  }

  /** Creates an object. */
  create(object: T, options: CreateOptions = {}): Promise<T> {
    return this.#request(this.#rest.post()).params(options).body(this.#typed(object)).do().into<T>();
  }

  /** Replaces an object (optimistic concurrency through `metadata.resourceVersion`). */
  update(object: T, options: UpdateOptions = {}): Promise<T> {
    return this.#request(this.#rest.put(), nameOf(object, this.#descriptor)).params(options).body(this.#typed(object)).do().into<T>();
  }

  /** Replaces an object's status (the `status` subresource). */
  updateStatus(object: T, options: UpdateOptions = {}): Promise<T> {
    return this.updateSubresource<T>(nameOf(object, this.#descriptor), 'status', this.#typed(object), options);
  }

  /** Deletes an object; `options` travel as the request body, as in client-go. */
  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    await this.#request(this.#rest.delete(), name).body(options).do();
  }

  /** Deletes every object the list options select. */
  async deleteCollection(options: DeleteOptions = {}, listOptions: ListOptions = {}): Promise<void> {
    await this.#request(this.#rest.delete()).params(listOptions).body(options).do();
  }

  /** Patches an object (or one of its subresources) with any of the four patch types. */
  patch(name: string, type: PatchType, patch: unknown, options: PatchOptions = {}, subresource?: string): Promise<T> {
    return this.#request(this.#rest.patch(type), name, subresource).params(options).body(patch).do().into<T>();
  }

  /** Server-side apply of an apply configuration (its `metadata.name` names the object). */
  apply(configuration: TApply, options: ApplyOptions): Promise<T> {
    return this.applySubresource<T>(configuration, undefined, options);
  }

  /** Server-side apply to the `status` subresource. */
  applyStatus(configuration: TApply, options: ApplyOptions): Promise<T> {
    return this.applySubresource<T>(configuration, 'status', options);
  }

  /** GET of a subresource (`scale`, `status`, …). */
  getSubresource<R>(name: string, subresource: string, options: GetOptions = {}): Promise<R> {
    return this.#request(this.#rest.get(), name, subresource).params(options).do().into<R>();
  }

  /** PUT of a subresource. */
  updateSubresource<R>(name: string, subresource: string, body: unknown, options: UpdateOptions = {}): Promise<R> {
    return this.#request(this.#rest.put(), name, subresource).params(options).body(body).do().into<R>();
  }

  /** POST to a subresource (`eviction`, `binding`, `token`). */
  createSubresource<R>(name: string, subresource: string, body: unknown, options: CreateOptions = {}): Promise<R> {
    return this.#request(this.#rest.post(), name, subresource).params(options).body(body).do().into<R>();
  }

  /** PATCH of a subresource. */
  patchSubresource<R>(name: string, subresource: string, type: PatchType, patch: unknown, options: PatchOptions = {}): Promise<R> {
    return this.#request(this.#rest.patch(type), name, subresource).params(options).body(patch).do().into<R>();
  }

  /** Server-side apply to a subresource (`undefined`: the object itself). */
  applySubresource<R>(configuration: NamedObject, subresource: string | undefined, options: ApplyOptions): Promise<R> {
    if (!options?.fieldManager) {
      return Promise.reject(new TypeError(`apply of ${this.#descriptor.kind}: options.fieldManager is required for server-side apply`));
    }
    const name = nameOf(configuration, this.#descriptor);
    return this.#request(this.#rest.patch(PatchType.Apply), name, subresource)
      .params({ fieldManager: options.fieldManager, force: options.force, dryRun: options.dryRun, fieldValidation: options.fieldValidation })
      .body(JSON.stringify(configuration))
      .do()
      .into<R>();
  }

  /** GET of a subresource as a byte stream (pod logs), with the subresource's own query options. */
  streamSubresource(name: string, subresource: string, options: object = {}): Promise<ReadableStream<Uint8Array>> {
    return this.#request(this.#rest.get(), name, subresource).params<object>(options).stream();
  }
}

function requireName(name: string, descriptor: ResourceDescriptor): string {
  if (!name) throw new TypeError(`${descriptor.kind}: name is required`);
  return name;
}

function nameOf(object: NamedObject, descriptor: ResourceDescriptor): string {
  const name = object?.metadata?.name;
  if (!name) throw new TypeError(`${descriptor.kind}: metadata.name is required`);
  return name;
}

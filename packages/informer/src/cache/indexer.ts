/*
 * client-go's thread_safe_store.go + index.go. JavaScript runs one piece of code at a time, so
 * every method here is atomic: a reader never sees half of an add or half of an index update.
 * That is the "thread safety" of this store, by design rather than by locks.
 */
import type { KubeObject } from '@kgo/rest';
import { deepFreeze } from '../utils/deep-freeze.ts';
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { type KeyFunc, metaNamespaceKeyFunc } from './keys.ts';
import type { Store } from './store.ts';

/** Computes the index values of an object (an object may have several, or none). */
export type IndexFunc<T> = (obj: T) => string[];

/** Named index functions. */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The name of the namespace index every informer has (client-go's `cache.NamespaceIndex`). */
export const NAMESPACE_INDEX = 'namespace';

/** Indexes an object by its namespace (`''` for cluster-scoped objects); client-go's `MetaNamespaceIndexFunc`. */
export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** Options of {@link Indexer}. */
export interface IndexerOptions<T> {
  /** Computes store keys. Default: {@link metaNamespaceKeyFunc}. */
  keyFunc?: KeyFunc<T> | undefined;
  /** Index functions by name. */
  indexers?: Indexers<T> | undefined;
  /** Deep-freeze every object put into the store (a development aid: mutation then throws). */
  freezeObjects?: boolean | undefined;
}

/**
 * A {@link Store} with secondary indexes (client-go's `cache.Indexer`): look objects up by any
 * value an index function computes, such as their namespace, a label or an owner.
 *
 * @example
 * ```ts
 * const indexer = new Indexer<Pod>({ indexers: { byNode: (pod) => [pod.spec?.nodeName ?? ''] } });
 * indexer.add(pod);
 * const onNode = indexer.byIndex('byNode', 'node-1');
 * ```
 */
export class Indexer<T extends KubeObject> implements Store<T> {
  readonly #keyFunc: KeyFunc<T>;
  readonly #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  readonly #indices = new Map<string, Map<string, Set<string>>>();
  readonly #freeze: boolean;

  constructor(options: IndexerOptions<T> = {}) {
    this.#keyFunc = options.keyFunc ?? metaNamespaceKeyFunc;
    this.#freeze = options.freezeObjects === true;
    if (options.indexers) this.addIndexers(options.indexers);
  }

  /** The key of an object, by this store's key function. */
  keyOf(obj: T | DeletedFinalStateUnknown<T>): string {
    return this.#keyFunc(obj);
  }

  add(obj: T): void {
    const key = this.#keyFunc(obj);
    if (this.#freeze) deepFreeze(obj);
    const old = this.#items.get(key);
    this.#items.set(key, obj);
    this.#updateIndices(old, obj, key);
  }

  update(obj: T): void {
    this.add(obj);
  }

  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    this.deleteByKey(this.#keyFunc(obj));
  }

  /** Removes the object under `key`, if any. */
  deleteByKey(key: string): void {
    const old = this.#items.get(key);
    if (old === undefined) return;
    this.#items.delete(key);
    this.#updateIndices(old, undefined, key);
  }

  list(): T[] {
    return [...this.#items.values()];
  }

  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  get(obj: T): T | undefined {
    return this.#items.get(this.#keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.#items.get(key);
  }

  replace(items: readonly T[]): void {
    this.#items.clear();
    for (const index of this.#indices.values()) index.clear();
    for (const item of items) this.add(item);
  }

  get size(): number {
    return this.#items.size;
  }

  /** The objects that share any value of index `indexName` with `obj`. */
  index(indexName: string, obj: T): T[] {
    const indexFunc = this.#indexFunc(indexName);
    const index = this.#indices.get(indexName)!;
    const keys = new Set<string>();
    for (const value of indexFunc(obj)) for (const key of index.get(value) ?? []) keys.add(key);
    return this.#objects(keys);
  }

  /** The keys of the objects whose index `indexName` has `value`. */
  indexKeys(indexName: string, value: string): string[] {
    this.#indexFunc(indexName);
    return [...(this.#indices.get(indexName)!.get(value) ?? [])];
  }

  /** The objects whose index `indexName` has `value`. */
  byIndex(indexName: string, value: string): T[] {
    this.#indexFunc(indexName);
    return this.#objects(this.#indices.get(indexName)!.get(value) ?? []);
  }

  /** Every value index `indexName` has objects for. */
  listIndexFuncValues(indexName: string): string[] {
    this.#indexFunc(indexName);
    return [...this.#indices.get(indexName)!.keys()];
  }

  /** The index functions by name. */
  getIndexers(): Indexers<T> {
    return Object.fromEntries(this.#indexers);
  }

  /** Adds index functions; objects already cached are indexed at once. A name already in use is an error. */
  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) {
      if (this.#indexers.has(name)) throw new Error(`indexer conflict: an index named ${JSON.stringify(name)} already exists`);
    }
    for (const [name, indexFunc] of Object.entries(indexers)) {
      this.#indexers.set(name, indexFunc);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of this.#items) addToIndex(index, indexFunc(obj), key);
    }
  }

  #indexFunc(indexName: string): IndexFunc<T> {
    const indexFunc = this.#indexers.get(indexName);
    if (!indexFunc) throw new Error(`index ${JSON.stringify(indexName)} does not exist (known: ${[...this.#indexers.keys()].join(', ') || 'none'})`);
    return indexFunc;
  }

  #objects(keys: Iterable<string>): T[] {
    const objects: T[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj !== undefined) objects.push(obj);
    }
    return objects;
  }

  #updateIndices(old: T | undefined, next: T | undefined, key: string): void {
    for (const [name, indexFunc] of this.#indexers) {
      const index = this.#indices.get(name)!;
      const oldValues = old === undefined ? [] : indexFunc(old);
      const newValues = next === undefined ? [] : indexFunc(next);
      // The common case (an update that keeps its namespace) changes nothing.
      if (oldValues.length === 1 && newValues.length === 1 && oldValues[0] === newValues[0]) continue;
      for (const value of oldValues) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
      addToIndex(index, newValues, key);
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}

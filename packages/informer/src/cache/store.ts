import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/**
 * A keyed object cache (client-go's `cache.Store`). kgo's implementation is {@link Indexer}.
 *
 * Objects handed out by `get`, `list` and the listers are the cached objects themselves, not
 * copies: **never mutate them** (copy first, e.g. `structuredClone(obj)`), or every other reader
 * sees the change and the cache no longer matches the server. The informer's `freezeObjects`
 * option freezes them in development to catch this.
 */
export interface Store<T> {
  /** Adds or replaces the object under its key. */
  add(obj: T): void;
  /** Same as {@link Store.add}. */
  update(obj: T): void;
  /** Removes the object (or the tombstone's key). */
  delete(obj: T | DeletedFinalStateUnknown<T>): void;
  /** Every cached object, in no particular order. */
  list(): T[];
  /** Every key. */
  listKeys(): string[];
  /** The cached object with the same key as `obj`. */
  get(obj: T): T | undefined;
  /** The cached object under `key` (`namespace/name`, or `name` when cluster-scoped). */
  getByKey(key: string): T | undefined;
  /** Replaces the whole content with `items`. */
  replace(items: readonly T[]): void;
  /** Number of cached objects. */
  readonly size: number;
}

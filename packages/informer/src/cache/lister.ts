/*
 * Listers (client-go's `listers` and `cache.GenericLister`): reads from an informer's cache by
 * namespace, name and label selector, with no API call. They return the cached objects: never
 * mutate them (see Store).
 */
import type { KubeObject } from '@kgo/rest';
import { type Indexer, NAMESPACE_INDEX } from './indexer.ts';
import { namespaceKey } from './keys.ts';
import { type LabelSelector, type Selector, toSelector } from './label-selector.ts';

/** What the listers accept as a selector: a string (`app=web,tier in (a,b)`), a LabelSelector object or a parsed Selector. */
export type SelectorInput = string | LabelSelector | Selector;

/**
 * Reads one resource from an informer's cache (client-go's generated `PodLister` etc., and
 * `cache.GenericLister`). For namespaced resources, `byNamespace(ns)` scopes the reads; `list()`
 * and `get()` on the lister itself address all namespaces and cluster-scoped names.
 *
 * Returned objects are the cached ones: do not mutate them.
 *
 * @example
 * ```ts
 * const lister = informer.lister();
 * const web = lister.byNamespace('default').list('app=web');
 * const one = lister.byNamespace('default').get('web-0');
 * ```
 */
export class Lister<T extends KubeObject> {
  readonly #indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.#indexer = indexer;
  }

  /** The objects of every namespace that match `selector` (all of them without one). */
  list(selector?: SelectorInput): T[] {
    return filter(this.#indexer.list(), selector);
  }

  /** A cluster-scoped object by name (or, for a namespaced resource, by its `namespace/name` key). */
  get(name: string): T | undefined {
    return this.#indexer.getByKey(name);
  }

  /** Reads scoped to one namespace. */
  byNamespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.#indexer, namespace);
  }
}

/** Reads of one namespace (client-go's `PodNamespaceLister`, `cache.GenericNamespaceLister`). Do not mutate what it returns. */
export class NamespaceLister<T extends KubeObject> {
  readonly #indexer: Indexer<T>;
  readonly #namespace: string;

  constructor(indexer: Indexer<T>, namespace: string) {
    this.#indexer = indexer;
    this.#namespace = namespace;
  }

  /** The objects of this namespace that match `selector` (all of them without one); uses the namespace index. */
  list(selector?: SelectorInput): T[] {
    const objects = NAMESPACE_INDEX in this.#indexer.getIndexers()
      ? this.#indexer.byIndex(NAMESPACE_INDEX, this.#namespace)
      : this.#indexer.list().filter((obj) => (obj.metadata?.namespace ?? '') === this.#namespace);
    return filter(objects, selector);
  }

  /** The object named `name` in this namespace. */
  get(name: string): T | undefined {
    return this.#indexer.getByKey(namespaceKey(this.#namespace, name));
  }
}

function filter<T extends KubeObject>(objects: T[], selector: SelectorInput | undefined): T[] {
  const parsed = toSelector(selector);
  if (parsed.empty()) return objects;
  return objects.filter((obj) => parsed.matches(obj.metadata?.labels));
}

/*
 * What an informer reads from: client-go's `cache.ListerWatcher`. Deliberately structural, so the
 * clients of other kgo layers fit as they are, without @kgo/informer depending on them:
 * `clientSet.coreV1().pods(ns)` (@kgo/typed) and `dynamic.resource(gvr).namespace(ns)`
 * (@kgo/dynamic) both have `list(options)` and `watch(options)` of these shapes.
 */
import type { KubeObject, ListMeta, ListOptions, WatchEvent } from '@kgo/rest';

/** A list response as far as an informer reads it: the items and the list's resourceVersion and continue token. */
export interface ListResult<T> {
  metadata?: ListMeta | undefined;
  items: T[];
}

/**
 * A running watch: an async iterable of watch events that can be stopped. `@kgo/rest`'s `Watch`
 * is one. Iteration ends quietly when the server closes the stream, and with an error when the
 * connection breaks.
 */
export interface WatchStream<T> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the watch and closes its connection; a pending iteration then ends. */
  stop(): void;
}

/**
 * Watches one resource (client-go's `cache.Watcher`): the watching half of a {@link ListerWatcher},
 * what a `RetryWatcher` needs. Typed and dynamic resource clients are one as they are.
 */
export interface Watcher<T> {
  /** Starts a watch; resolves once the server accepted it. The options go to the server as query parameters. */
  watch(options: ListOptions): Promise<WatchStream<T>>;
}

/**
 * Lists and watches one resource (in one namespace, or all): client-go's `cache.ListerWatcher`.
 * The options are passed as they are (`resourceVersion`, `limit`, `continue`,
 * `allowWatchBookmarks`, `timeoutSeconds`, `sendInitialEvents`, `resourceVersionMatch`), so an
 * implementation must send them to the server as query parameters.
 *
 * @example
 * ```ts
 * // Any of these is a ListerWatcher<Pod>, structurally:
 * const fromTyped: ListerWatcher<Pod> = clientSet.coreV1().pods('default');
 * const fromDynamic: ListerWatcher<Unstructured> = dynamic.resource(podsGvr).namespace('default');
 * const fromRest: ListerWatcher<Pod> = listerWatcherFor<Pod>(core, 'pods', { namespace: 'default' });
 * ```
 */
export interface ListerWatcher<T extends KubeObject> extends Watcher<T> {
  /** One list request (one page when `limit` is set). */
  list(options: ListOptions): Promise<ListResult<T>>;
}

/**
 * A ListerWatcher whose list and watch options are adjusted first (client-go's
 * `NewFilteredListWatchFromClient` tweak): typically a label or field selector. The tweak gets a
 * copy and may change it in place or return a new object.
 *
 * @example
 * ```ts
 * const onlyApp = withListOptions(lw, (options) => ({ ...options, labelSelector: 'app=web' }));
 * ```
 */
export function withListOptions<T extends KubeObject>(
  listerWatcher: ListerWatcher<T>,
  tweak: (options: ListOptions) => ListOptions | void,
): ListerWatcher<T> {
  const apply = (options: ListOptions): ListOptions => {
    const copy = { ...options };
    return tweak(copy) ?? copy;
  };
  return {
    list: (options) => listerWatcher.list(apply(options)),
    watch: (options) => listerWatcher.watch(apply(options)),
  };
}

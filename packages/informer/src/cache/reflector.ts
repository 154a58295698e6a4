/*
 * client-go's tools/cache/reflector.go: keeps a store in step with the server by listing, then
 * watching from the list's resourceVersion, for as long as it runs.
 *
 * The rules, and where kgo adds to client-go:
 * - First sync: a watch-list stream (`sendInitialEvents=true`, `resourceVersionMatch=NotOlderThan`,
 *   ended by a bookmark annotated `k8s.io/initial-events-end`) when the server supports it, else a
 *   paged LIST (`limit`, with one full list when a continue token expires).
 * - Watches start from the last resourceVersion seen, ask for bookmarks, and carry a server-side
 *   `timeoutSeconds` drawn from [5, 10) minutes so no watch lives forever.
 * - kgo: a watch that delivers nothing, not even the server's (about once a minute) bookmark,
 *   within `idleTimeoutMs` is taken for a dead connection and replaced; a list or watch request
 *   that does not complete within `requestTimeoutMs` is abandoned.
 * - A watch that ends after delivering events is resumed at once from the last resourceVersion;
 *   every other ending waits a backoff (800 ms doubling to 30 s, jitter 1.0, reset after 2
 *   minutes without failures) first, so an unreachable server never sees a storm.
 * - 410 Expired/Gone → relist (at the last resourceVersion, then from scratch if that is
 *   gone too); "too large resource version" → relist from scratch.
 */
import type { KubeObject, ListOptions, WatchEvent } from '@kgo/rest';
import { isBadRequest, isForbidden, isInvalid, isMethodNotSupported } from '@kgo/rest';
import { ReflectorError } from '../errors/reflector-error.ts';
import { sleep } from '../utils/sleep.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { metaNamespaceKeyFunc } from './keys.ts';
import type { ListerWatcher, WatchStream } from './lister-watcher.ts';
import { listAllPages } from './pager.ts';
import { isExpiredError, isRetriableWatchError, isTooLargeResourceVersionError, statusErrorFromEvent } from './watch-errors.ts';

/** The annotation on the bookmark that ends a watch-list stream's initial events. */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/** Where a reflector writes what it reads (client-go's `cache.Store` as the reflector uses it). */
export interface ReflectorStore<T> {
  /** A complete list at `resourceVersion`: replace everything. */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

/** Options of {@link Reflector}; every default is client-go's unless marked kgo. */
export interface ReflectorOptions {
  /** Names the resource in messages (`configmaps in namespace "x"`). */
  name?: string | undefined;
  /** Page size of lists (`limit`). Default 500; 0 lists in one request. */
  pageSize?: number | undefined;
  /** Try a watch-list stream for the first sync and relists. Default true (falls back to LIST when refused). */
  useWatchList?: boolean | undefined;
  /** Server-side watch timeout: each watch asks for `timeoutSeconds` in [min, 2×min). Default 5 min. */
  minWatchTimeoutMs?: number | undefined;
  /** kgo: a watch silent this long (no event, no bookmark) is replaced. Default 150 s (bookmarks come about every 60 s). */
  idleTimeoutMs?: number | undefined;
  /** kgo: bound on one list page and on the start of a watch. Default 60 s. */
  requestTimeoutMs?: number | undefined;
  /** Reconnect backoff. */
  backoff?: BackoffOptions | undefined;
  /** Told about every failure the reflector recovers from (client-go's WatchErrorHandler). */
  onError?: ((error: unknown) => void) | undefined;
}

/** Counters of what a reflector asked the server, for health checks and tests. */
export interface ReflectorStats {
  /** LIST requests (pages included). */
  lists: number;
  /** Watches started (watch-list streams excluded). */
  watches: number;
  /** Watch-list streams started. */
  watchLists: number;
  /** Complete syncs (lists or watch-lists that replaced the store). */
  syncs: number;
  /** Watches replaced because they went silent. */
  idleWatches: number;
  /** Waits on the backoff. */
  backoffs: number;
}

type WatchEnd = { kind: 'stopped' } | { kind: 'ended'; events: number; error?: unknown } | { kind: 'idle'; events: number };

/** An open watch and the iterator reading it (a watch can be iterated only once). */
interface OpenWatch<T> {
  stream: WatchStream<T>;
  iterator: AsyncIterator<WatchEvent<T>>;
}

/**
 * Lists and watches one resource into a {@link ReflectorStore} until stopped, recovering from
 * every failure by itself (client-go's `cache.Reflector`). Informers run one; use it directly
 * to fill a store of your own.
 *
 * @example
 * ```ts
 * const store = new Indexer<ConfigMap>();
 * const reflector = new Reflector(listerWatcherFor<ConfigMap>(core, 'configmaps'), store);
 * const stop = new AbortController();
 * void reflector.run(stop.signal);
 * ```
 */
export class Reflector<T extends KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #store: ReflectorStore<T>;
  readonly #name: string;
  readonly #pageSize: number;
  readonly #minWatchTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #backoff: Backoff;
  readonly #onError: (error: unknown) => void;
  #useWatchList: boolean;
  #lastSyncResourceVersion = '';
  /** The last resourceVersion is gone (410 on a list): the next list starts from the latest state. */
  #lastSyncResourceVersionUnavailable = false;
  /** The server paged a list at resourceVersion "0": it has no watch cache, so keep paging. */
  #paginatedResult = false;
  #watching = false;
  #running = false;
  readonly #stats: ReflectorStats = { lists: 0, watches: 0, watchLists: 0, syncs: 0, idleWatches: 0, backoffs: 0 };

  constructor(listerWatcher: ListerWatcher<T>, store: ReflectorStore<T>, options: ReflectorOptions = {}) {
    this.#lw = listerWatcher;
    this.#store = store;
    this.#name = options.name ?? 'objects';
    this.#pageSize = options.pageSize ?? 500;
    this.#useWatchList = options.useWatchList ?? true;
    this.#minWatchTimeoutMs = options.minWatchTimeoutMs ?? 5 * 60_000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 150_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#backoff = new Backoff(options.backoff);
    this.#onError = options.onError ?? (() => {});
  }

  /** The resourceVersion of the last list or event applied (client-go's `LastSyncResourceVersion`); `''` before the first sync. */
  lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  /** True while a watch is open and being read. */
  isWatching(): boolean {
    return this.#watching;
  }

  /** What the reflector asked the server so far. */
  get stats(): Readonly<ReflectorStats> {
    return { ...this.#stats };
  }

  /** Runs until `signal` aborts; resolves then. Never rejects: failures go to `onError` and are retried. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error(`reflector for ${this.#name} is already running`);
    this.#running = true;
    try {
      while (!signal.aborted) {
        try {
          await this.#listAndWatch(signal);
        } catch (error) {
          if (!signal.aborted) this.#report(error);
        }
        if (signal.aborted) break;
        await this.#waitBackoff(signal);
      }
    } finally {
      this.#running = false;
      this.#watching = false;
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // An error handler that throws must not stop the reflector.
    }
  }

  async #waitBackoff(signal: AbortSignal): Promise<void> {
    this.#stats.backoffs++;
    await sleep(this.#backoff.next(), signal);
  }

  /** One sync (watch-list or list), then watches until something calls for a relist. */
  async #listAndWatch(signal: AbortSignal): Promise<void> {
    let open: OpenWatch<T> | undefined;
    if (this.#useWatchList) {
      try {
        open = await this.#watchList(signal);
        if (!open) return; // stopped
      } catch (error) {
        if (signal.aborted) return;
        // A server without watch-list support refuses its parameters; do not ask again.
        if (isBadRequest(error) || isInvalid(error) || isForbidden(error) || isMethodNotSupported(error)) this.#useWatchList = false;
        this.#report(error);
      }
    }
    try {
      if (!open) {
        await this.#list(signal);
        if (signal.aborted) return;
      }
      await this.#watchLoop(open, signal);
    } finally {
      // A watch-list's watch is handed on open; stopped before it was read, it is closed here.
      if (open && signal.aborted) open.stream.stop();
    }
  }

  /** client-go's `relistResourceVersion`: "0" (any cached state) at first, the last one seen later, "" when that is gone. */
  #relistResourceVersion(): string {
    if (this.#lastSyncResourceVersionUnavailable) return '';
    return this.#lastSyncResourceVersion || '0';
  }

  async #list(signal: AbortSignal): Promise<void> {
    const resourceVersion = this.#relistResourceVersion();
    const list = (options: ListOptions) => {
      this.#stats.lists++;
      return this.#bounded(this.#lw.list(options), signal, 'list');
    };
    // client-go: a list at a specific resourceVersion is served from the watch cache only without
    // a limit, so pagination is turned off then, unless the server showed it has no watch cache.
    const pageSize = !this.#paginatedResult && resourceVersion !== '' && resourceVersion !== '0' ? 0 : this.#pageSize;
    let result;
    try {
      result = await listAllPages(list, { resourceVersion }, pageSize);
    } catch (error) {
      if (!isExpiredError(error) && !isTooLargeResourceVersionError(error)) throw error;
      // That resourceVersion is gone (or not there yet): list the latest state instead.
      this.#lastSyncResourceVersionUnavailable = true;
      this.#report(error);
      result = await listAllPages(list, { resourceVersion: '' }, this.#pageSize);
    }
    if (signal.aborted) return;
    if (resourceVersion === '0' && result.paginated) this.#paginatedResult = true;
    this.#lastSyncResourceVersionUnavailable = false;
    this.#stats.syncs++;
    this.#store.replace(result.items, result.resourceVersion);
    this.#lastSyncResourceVersion = result.resourceVersion;
  }

  /**
   * The first sync as one watch stream (client-go's `watchList`): the server sends the current
   * state as ADDED events, then a bookmark annotated `k8s.io/initial-events-end`, then the
   * changes. Resolves with the open watch, positioned after that bookmark.
   */
  async #watchList(signal: AbortSignal): Promise<OpenWatch<T> | undefined> {
    while (!signal.aborted) {
      const options: ListOptions = {
        resourceVersion: this.#lastSyncResourceVersionUnavailable ? '' : this.#lastSyncResourceVersion,
        resourceVersionMatch: 'NotOlderThan',
        sendInitialEvents: true,
        allowWatchBookmarks: true,
        timeoutSeconds: this.#watchTimeoutSeconds(),
      };
      let open: OpenWatch<T>;
      try {
        this.#stats.watchLists++;
        open = await this.#openWatch(options, signal);
      } catch (error) {
        if (signal.aborted) return undefined;
        if (isRetriableWatchError(error)) {
          this.#report(error);
          await this.#waitBackoff(signal);
          continue;
        }
        if (isExpiredError(error) || isTooLargeResourceVersionError(error)) {
          this.#report(error);
          this.#lastSyncResourceVersionUnavailable = true;
          continue;
        }
        throw error;
      }
      const initial = new Map<string, T>();
      let resourceVersion = '';
      let synced = false;
      const end = await this.#consume(open, signal, (event) => {
        if (event.type === 'ERROR') throw statusErrorFromEvent(event.object, `watch-list of ${this.#name}`);
        const obj = event.object;
        switch (event.type) {
          case 'ADDED':
          case 'MODIFIED':
            initial.set(metaNamespaceKeyFunc(obj), obj);
            break;
          case 'DELETED':
            initial.delete(metaNamespaceKeyFunc(obj));
            break;
          case 'BOOKMARK':
            if (obj.metadata?.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === 'true') synced = true;
            break;
        }
        resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
        return synced ? 'pause' : 'continue';
      });
      if (end.kind === 'stopped') return undefined;
      if (synced) {
        this.#lastSyncResourceVersionUnavailable = false;
        this.#stats.syncs++;
        this.#store.replace([...initial.values()], resourceVersion);
        this.#lastSyncResourceVersion = resourceVersion;
        return open;
      }
      const error = end.kind === 'ended' ? end.error : undefined;
      if (error !== undefined && (isExpiredError(error) || isTooLargeResourceVersionError(error))) {
        this.#report(error);
        this.#lastSyncResourceVersionUnavailable = true;
        continue;
      }
      if (error !== undefined && isRetriableWatchError(error)) {
        this.#report(error);
        await this.#waitBackoff(signal);
        continue;
      }
      throw (
        error ??
        new ReflectorError(
          end.kind === 'idle' ? 'idle' : 'watch-list-incomplete',
          `watch-list of ${this.#name} ended after ${initial.size} objects, before the ${INITIAL_EVENTS_END_ANNOTATION} bookmark`,
        )
      );
    }
    return undefined;
  }

  /** Watches from the last resourceVersion, again and again, until a relist is needed or the signal aborts. */
  async #watchLoop(initial: OpenWatch<T> | undefined, signal: AbortSignal): Promise<void> {
    let open = initial;
    while (!signal.aborted) {
      if (!open) {
        const options: ListOptions = {
          resourceVersion: this.#lastSyncResourceVersion,
          timeoutSeconds: this.#watchTimeoutSeconds(),
          allowWatchBookmarks: true,
        };
        try {
          this.#stats.watches++;
          open = await this.#openWatch(options, signal);
        } catch (error) {
          if (signal.aborted) return;
          if (isRetriableWatchError(error)) {
            // The server is unreachable or overloaded: try the same watch again later, no relist.
            this.#report(error);
            await this.#waitBackoff(signal);
            continue;
          }
          if (isTooLargeResourceVersionError(error)) this.#lastSyncResourceVersionUnavailable = true;
          throw error; // relist after a backoff
        }
      }
      const end = await this.#consume(open, signal, (event) => {
        this.#apply(event);
        return 'continue';
      });
      open = undefined;
      if (end.kind === 'stopped') return;
      if (end.kind === 'idle') {
        this.#stats.idleWatches++;
        this.#report(new ReflectorError('idle', `watch of ${this.#name} delivered nothing for ${this.#idleTimeoutMs} ms (not even a bookmark): replacing it`));
      }
      const error = end.kind === 'ended' ? end.error : undefined;
      if (error !== undefined) {
        if (isExpiredError(error)) {
          // client-go: a list at the last resourceVersion still works (it means "at least this new").
          this.#report(error);
          return;
        }
        if (isTooLargeResourceVersionError(error)) {
          this.#lastSyncResourceVersionUnavailable = true;
          this.#report(error);
          return;
        }
        // An ERROR event other than these, or an undecodable stream: relist after a backoff.
        if (!isRetriableWatchError(error)) throw error;
        this.#report(error);
      }
      // A watch that delivered events made progress: resume at once. One that delivered nothing
      // (refused, cut at once, or silent) waits a backoff, so a failing server sees no storm.
      if (end.events === 0) await this.#waitBackoff(signal);
    }
  }

  /** Applies one watch event to the store (client-go's `handleWatch` switch). */
  #apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') throw statusErrorFromEvent(event.object, `watch of ${this.#name}`);
    const obj = event.object;
    switch (event.type) {
      case 'ADDED':
        this.#store.add(obj);
        break;
      case 'MODIFIED':
        this.#store.update(obj);
        break;
      case 'DELETED':
        this.#store.delete(obj);
        break;
      case 'BOOKMARK':
        break;
    }
    const resourceVersion = obj.metadata?.resourceVersion;
    if (resourceVersion) this.#lastSyncResourceVersion = resourceVersion;
  }

  /** client-go: `minWatchTimeout × (1 + rand)`, in whole seconds. */
  #watchTimeoutSeconds(): number {
    return Math.max(1, Math.floor((this.#minWatchTimeoutMs / 1000) * (1 + Math.random())));
  }

  async #openWatch(options: ListOptions, signal: AbortSignal): Promise<OpenWatch<T>> {
    const pending = this.#lw.watch(options);
    let stream: WatchStream<T>;
    try {
      stream = await this.#bounded(pending, signal, 'watch');
    } catch (error) {
      // A watch that opens after all is closed at once.
      pending.then((late) => late.stop(), () => {});
      throw error;
    }
    return { stream, iterator: stream[Symbol.asyncIterator]() };
  }

  /**
   * Reads a watch until it ends, the handler pauses it, it stays silent for `idleTimeoutMs`, or
   * the signal aborts. The watch is stopped unless paused (the watch-list hands it on).
   */
  async #consume(open: OpenWatch<T>, signal: AbortSignal, handle: (event: WatchEvent<T>) => 'continue' | 'pause'): Promise<WatchEnd> {
    let events = 0;
    let idle = false;
    let paused = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        open.stream.stop();
      }, this.#idleTimeoutMs);
    };
    const onAbort = () => open.stream.stop();
    if (signal.aborted) {
      open.stream.stop();
      return { kind: 'stopped' };
    }
    signal.addEventListener('abort', onAbort, { once: true });
    this.#watching = true;
    arm();
    try {
      while (true) {
        let next: IteratorResult<WatchEvent<T>>;
        try {
          next = await open.iterator.next();
        } catch (error) {
          if (signal.aborted) return { kind: 'stopped' };
          if (idle) return { kind: 'idle', events };
          return { kind: 'ended', events, error };
        }
        if (signal.aborted) return { kind: 'stopped' };
        if (next.done) return idle ? { kind: 'idle', events } : { kind: 'ended', events };
        events++;
        arm();
        try {
          if (handle(next.value) === 'pause') {
            paused = true;
            return { kind: 'ended', events };
          }
        } catch (error) {
          return { kind: 'ended', events, error };
        }
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.#watching = paused;
      if (!paused) open.stream.stop();
    }
  }

  /** A request bounded by `requestTimeoutMs` and the signal. */
  #bounded<R>(request: Promise<R>, signal: AbortSignal, what: 'list' | 'watch'): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new ReflectorError('timeout', `${what} of ${this.#name} did not complete within ${this.#requestTimeoutMs} ms`));
      }, this.#requestTimeoutMs);
      const onAbort = () => {
        cleanup();
        reject(signal.reason ?? new Error('stopped'));
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  }
}

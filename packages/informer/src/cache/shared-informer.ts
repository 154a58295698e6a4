/*
 * client-go's tools/cache/shared_informer.go (with the parts of delta_fifo.go and
 * controller.go it relies on): one reflector fills one indexed cache and fans its changes out to
 * any number of handlers.
 *
 * Where kgo differs in form, not in what handlers see: client-go passes changes from the
 * reflector's goroutine to the processing goroutine through a DeltaFIFO. JavaScript runs one
 * thing at a time, so the reflector applies each change to the cache directly and queues the
 * notifications per handler: the cache is always exactly what the reflector has seen, and a
 * slow handler delays only itself.
 *
 * After a relist the new list is diffed with the cache (DeltaFIFO.Replace): new objects are adds,
 * changed ones (another resourceVersion) updates, and objects the list no longer has are deletes
 * carrying a DeletedFinalStateUnknown tombstone. Unchanged objects notify nobody, as in client-go
 * (there they are "sync" updates, delivered only to handlers whose resync is due).
 */
import type { KubeObject } from '@kgo/rest';
import { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import type { ResourceEventHandler } from './event-handler.ts';
import { Indexer, type Indexers, metaNamespaceIndexFunc, NAMESPACE_INDEX } from './indexer.ts';
import { Lister } from './lister.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import { type Notification, ProcessorListener } from './processor-listener.ts';
import { Reflector, type ReflectorOptions, type ReflectorStats, type ReflectorStore } from './reflector.ts';
import type { Store } from './store.ts';

/** Where an informer's `onError` was called from. */
export type InformerErrorSource = 'reflector' | 'handler';

/** Options of {@link SharedIndexInformer}. */
export interface SharedInformerOptions<T> extends Omit<ReflectorOptions, 'onError'> {
  /** Default resync period of handlers (0: no resync). Values under 1 s are raised to 1 s. */
  resyncPeriodMs?: number | undefined;
  /** Index functions besides the namespace index every informer has. */
  indexers?: Indexers<T> | undefined;
  /**
   * Deep-freeze every cached object, so code that mutates one throws (in strict mode, which ES
   * modules are) instead of silently corrupting the cache. For development and tests: freezing
   * costs time per object.
   */
  freezeObjects?: boolean | undefined;
  /**
   * Told about every failure the informer recovered from: list and watch errors (it retries
   * them) and handler errors (the handler goes on with the next event). Default: one
   * `console.warn` line each.
   */
  onError?: ((error: unknown, source: InformerErrorSource) => void) | undefined;
}

/** Options of {@link SharedIndexInformer.addEventHandler}. */
export interface EventHandlerOptions {
  /** This handler's resync period (0: none); default the informer's. At least 1 s. */
  resyncPeriodMs?: number | undefined;
}

/** What {@link SharedIndexInformer.addEventHandler} returns: the handle to remove it, and its sync state. */
export interface EventHandlerRegistration {
  /**
   * True once the informer has synced and this handler has been called for every object of the
   * initial list (client-go's `ResourceEventHandlerRegistration.HasSynced`).
   */
  hasSynced(): boolean;
}

/** Something that reports whether it has synced: an informer, or a handler registration. */
export interface Syncable {
  hasSynced(): boolean;
}

const MIN_RESYNC_MS = 1000;

const defaultOnError = (error: unknown, source: InformerErrorSource) => {
  console.warn(`[kgo informer] ${source} error: ${error instanceof Error ? error.message : String(error)}`);
};

/**
 * One watch on one resource shared by any number of handlers, with an indexed cache and a lister
 * (client-go's `SharedIndexInformer`). Never goes silent: the reflector under it replaces a
 * silent watch, relists after 410 Gone, resumes from the last resourceVersion after a cut, and
 * backs off while the server is away.
 *
 * @example
 * ```ts
 * const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace: 'default' }));
 * informer.addEventHandler({
 *   onAdd: (cm) => console.log('added', cm.metadata?.name),
 *   onUpdate: (old, cm) => console.log('updated', cm.metadata?.name),
 *   onDelete: (cm) => console.log('deleted'),
 * });
 * const stop = new AbortController();
 * void informer.run(stop.signal);
 * await informer.waitForCacheSync(AbortSignal.timeout(30_000));
 * const cms = informer.lister().byNamespace('default').list('app=web');
 * ```
 */
export class SharedIndexInformer<T extends KubeObject> implements Syncable {
  readonly #indexer: Indexer<T>;
  readonly #reflector: Reflector<T>;
  readonly #listeners = new Map<EventHandlerRegistration, ProcessorListener<T>>();
  readonly #defaultResyncMs: number;
  readonly #onError: (error: unknown, source: InformerErrorSource) => void;
  readonly #stop = new AbortController();
  #started = false;
  #stopped = false;
  #synced = false;
  #syncWaiters: ((synced: boolean) => void)[] = [];
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;

  constructor(listerWatcher: ListerWatcher<T>, options: SharedInformerOptions<T> = {}) {
    const { resyncPeriodMs, indexers, freezeObjects, onError, ...reflectorOptions } = options;
    this.#defaultResyncMs = resyncPeriodMs ?? 0;
    this.#onError = onError ?? defaultOnError;
    this.#indexer = new Indexer<T>({ indexers: { [NAMESPACE_INDEX]: metaNamespaceIndexFunc, ...indexers }, freezeObjects });
    this.#reflector = new Reflector(listerWatcher, this.#reflectorStore(), { ...reflectorOptions, onError: (error) => this.#report(error, 'reflector') });
  }

  /** The cache, as a Store. Do not mutate the objects it returns. */
  getStore(): Store<T> {
    return this.#indexer;
  }

  /** The cache with its indexes. Do not mutate the objects it returns. */
  getIndexer(): Indexer<T> {
    return this.#indexer;
  }

  /** A lister over the cache (get and list by namespace and label selector). */
  lister(): Lister<T> {
    return new Lister(this.#indexer);
  }

  /** Adds index functions (also after start: cached objects are indexed at once). */
  addIndexers(indexers: Indexers<T>): void {
    this.#indexer.addIndexers(indexers);
  }

  /**
   * Adds a handler. Added after the informer synced, it first gets an add (with
   * `isInInitialList` true) for every cached object, like client-go. Throws once the informer
   * has stopped.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options: EventHandlerOptions = {}): EventHandlerRegistration {
    if (this.#stopped) throw new Error('cannot add an event handler: the informer has stopped');
    let resyncMs = options.resyncPeriodMs ?? this.#defaultResyncMs;
    if (resyncMs > 0 && resyncMs < MIN_RESYNC_MS) resyncMs = MIN_RESYNC_MS;
    const listener = new ProcessorListener<T>(handler, resyncMs, (error) => this.#report(error, 'handler'));
    listener.nextResyncAt = performance.now() + resyncMs;
    const registration: EventHandlerRegistration = {
      hasSynced: () => this.#synced && this.#listeners.has(registration) && !listener.initialPending,
    };
    this.#listeners.set(registration, listener);
    if (this.#synced) for (const obj of this.#indexer.list()) listener.add({ type: 'add', obj, isInInitialList: true });
    this.#armResync();
    return registration;
  }

  /** Removes a handler; it gets no further notifications. */
  removeEventHandler(registration: EventHandlerRegistration): void {
    const listener = this.#listeners.get(registration);
    if (!listener) return;
    this.#listeners.delete(registration);
    listener.stop();
    this.#armResync();
  }

  /**
   * Runs the informer until `signal` aborts or {@link SharedIndexInformer.stop} is called;
   * resolves then. It never rejects for list or watch failures: those are retried (and passed to
   * `onError`). Calling it again returns the same run.
   */
  run(signal?: AbortSignal): Promise<void> {
    if (this.#running) return this.#running;
    if (this.#stopped) return Promise.resolve();
    this.#started = true;
    if (signal) {
      if (signal.aborted) this.stop();
      else signal.addEventListener('abort', () => this.stop(), { once: true });
    }
    this.#armResync();
    this.#running = this.#reflector.run(this.#stop.signal).finally(() => this.#shutDown());
    return this.#running;
  }

  /** Stops the watch and every handler (nothing more is delivered). Run's promise resolves after. */
  stop(): void {
    this.#stop.abort(new Error('informer stopped'));
    if (!this.#running) this.#shutDown();
  }

  #shutDown(): void {
    this.#stopped = true;
    clearTimeout(this.#resyncTimer);
    for (const listener of this.#listeners.values()) listener.stop();
    for (const wake of this.#syncWaiters.splice(0)) wake(false);
  }

  /** True once the first complete list has been applied to the cache. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** True while a watch is open (health: the informer is receiving changes). */
  isWatching(): boolean {
    return this.#reflector.isWatching();
  }

  /** True once the informer has been started. */
  isStarted(): boolean {
    return this.#started;
  }

  /** True once the informer has stopped. */
  isStopped(): boolean {
    return this.#stopped;
  }

  /** The resourceVersion of the last list or event the cache reflects; `''` before the first sync. */
  lastSyncResourceVersion(): string {
    return this.#reflector.lastSyncResourceVersion();
  }

  /** What the reflector asked the server so far (lists, watches, watch-lists, backoffs). */
  reflectorStats(): Readonly<ReflectorStats> {
    return this.#reflector.stats;
  }

  /**
   * Resolves true once the cache has synced, or false when `signal` aborts or the informer stops
   * first (client-go's `WaitForCacheSync`).
   */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (this.#stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#syncWaiters = this.#syncWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      };
      const done = (synced: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#syncWaiters.push(done);
    });
  }

  /** Resolves once every handler has handled every notification queued so far (for tests and graceful shutdown). */
  async waitForHandlers(): Promise<void> {
    await Promise.all([...this.#listeners.values()].map((listener) => listener.idle()));
  }

  #report(error: unknown, source: InformerErrorSource): void {
    try {
      this.#onError(error, source);
    } catch {
      // A throwing error handler must not stop the informer.
    }
  }

  #distribute(notification: Notification<T>): void {
    for (const listener of this.#listeners.values()) listener.add(notification);
  }

  /** What the reflector writes into: the cache, plus notifications (client-go's DeltaFIFO + HandleDeltas). */
  #reflectorStore(): ReflectorStore<T> {
    return {
      add: (obj) => this.#upsert(obj, false),
      update: (obj) => this.#upsert(obj, false),
      delete: (obj) => {
        const key = this.#indexer.keyOf(obj);
        const old = this.#indexer.getByKey(key);
        this.#indexer.deleteByKey(key);
        // The handler gets the object from the event: its final state. (client-go would also
        // notify a delete of an object it never had; kgo does not, so every delete follows an add.)
        if (old !== undefined) this.#distribute({ type: 'delete', obj });
      },
      replace: (items) => this.#replace(items),
    };
  }

  #upsert(obj: T, isInInitialList: boolean): void {
    const old = this.#indexer.get(obj);
    this.#indexer.add(obj);
    if (old === undefined) {
      this.#distribute({ type: 'add', obj, isInInitialList });
    } else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
      this.#distribute({ type: 'update', oldObj: old, newObj: obj });
    }
  }

  #replace(items: T[]): void {
    const initial = !this.#synced;
    const keep = new Set<string>();
    for (const obj of items) {
      keep.add(this.#indexer.keyOf(obj));
      this.#upsert(obj, initial);
    }
    for (const key of this.#indexer.listKeys()) {
      if (keep.has(key)) continue;
      const last = this.#indexer.getByKey(key)!;
      this.#indexer.deleteByKey(key);
      this.#distribute({ type: 'delete', obj: new DeletedFinalStateUnknown(key, last) });
    }
    if (initial) {
      this.#synced = true;
      for (const wake of this.#syncWaiters.splice(0)) wake(true);
    }
  }

  /** Schedules the next resync check at the earliest handler's due time. */
  #armResync(): void {
    clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
    if (!this.#started || this.#stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const listener of this.#listeners.values()) if (listener.resyncPeriodMs > 0) next = Math.min(next, listener.nextResyncAt);
    if (next === Number.POSITIVE_INFINITY) return;
    this.#resyncTimer = setTimeout(() => this.#resync(), Math.max(0, next - performance.now()));
    this.#resyncTimer.unref?.();
  }

  /** Periodic resync: handlers whose period is due get update(obj, obj) for every cached object. */
  #resync(): void {
    const now = performance.now();
    const due: ProcessorListener<T>[] = [];
    for (const listener of this.#listeners.values()) {
      if (listener.resyncPeriodMs > 0 && now >= listener.nextResyncAt) {
        due.push(listener);
        listener.nextResyncAt = now + listener.resyncPeriodMs;
      }
    }
    if (this.#synced && due.length > 0) {
      for (const obj of this.#indexer.list()) for (const listener of due) listener.add({ type: 'update', oldObj: obj, newObj: obj });
    }
    this.#armResync();
  }
}

/**
 * Resolves true once every one of `syncables` (informers or handler registrations) has synced,
 * false if `signal` aborts first (client-go's `cache.WaitForCacheSync`). Checks every 100 ms.
 */
export async function waitForCacheSync(signal: AbortSignal | undefined, ...syncables: Syncable[]): Promise<boolean> {
  while (true) {
    if (syncables.every((syncable) => syncable.hasSynced())) return true;
    if (signal?.aborted) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 100);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

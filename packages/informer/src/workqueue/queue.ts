/*
 * client-go util/workqueue/queue.go: a work queue where an item is queued at most once however
 * often it is added (dirty set), and handed to one worker at a time (processing set): an item
 * added while a worker has it is queued again only when that worker calls done().
 */
import { Fifo } from '../utils/fifo.ts';
import { QueueMetrics, type WorkqueueMetricsProvider } from './metrics.ts';

/** Options of {@link Queue}. */
export interface QueueOptions {
  /** Names the queue's metrics. */
  name?: string | undefined;
  /** Makes the queue's metrics (depth, adds, latency, work duration, unfinished work, retries). */
  metricsProvider?: WorkqueueMetricsProvider | undefined;
}

/** What {@link Queue.get} resolves with: an item, or word that the queue has shut down and is empty. */
export type QueueGetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/**
 * A deduplicating work queue (client-go's `workqueue.Typed`): `add` the key of anything that
 * needs work; workers `get` a key, work on it, and call `done(key)`. A key is never handed to
 * two workers at once, and adding a key that is already waiting does nothing.
 *
 * Items are compared like Set members: use strings (object keys such as `namespace/name`).
 *
 * @example
 * ```ts
 * const queue = new Queue<string>();
 * queue.add('default/web');
 * const { item, shutdown } = await queue.get();
 * if (!shutdown) { try { await reconcile(item); } finally { queue.done(item); } }
 * ```
 */
export class Queue<T> {
  readonly #queue = new Fifo<T>();
  readonly #dirty = new Set<T>();
  readonly #processing = new Set<T>();
  readonly #waiters = new Fifo<() => void>();
  readonly #drainWaiters: (() => void)[] = [];
  #shuttingDown = false;
  /** @internal */
  protected readonly metrics: QueueMetrics<T>;

  constructor(options: QueueOptions = {}) {
    this.metrics = new QueueMetrics<T>(options.name ?? '', options.metricsProvider);
  }

  /** Marks `item` as needing work. Ignored after shutdown, and while the item is already waiting. */
  add(item: T): void {
    if (this.#shuttingDown) return;
    if (this.#dirty.has(item)) return;
    this.metrics.add(item);
    this.#dirty.add(item);
    // A worker has it: it is queued again when that worker calls done().
    if (this.#processing.has(item)) return;
    this.#queue.push(item);
    this.#waiters.shift()?.();
  }

  /** Number of items waiting (not those being processed). */
  len(): number {
    return this.#queue.length;
  }

  /**
   * The next item, waiting for one if needed. After {@link Queue.shutDown} it still hands out
   * what is queued, then resolves `{ shutdown: true }`. Call {@link Queue.done} when finished
   * with the item.
   */
  async get(): Promise<QueueGetResult<T>> {
    while (this.#queue.length === 0 && !this.#shuttingDown) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#queue.length === 0) return { item: undefined, shutdown: true };
    const item = this.#queue.shift()!;
    this.metrics.get(item);
    this.#processing.add(item);
    this.#dirty.delete(item);
    return { item, shutdown: false };
  }

  /** Marks `item` as processed; if it was added again meanwhile, it is queued again now. */
  done(item: T): void {
    this.metrics.done(item);
    this.#processing.delete(item);
    if (this.#dirty.has(item)) {
      this.#queue.push(item);
      this.#waiters.shift()?.();
    } else if (this.#processing.size === 0) {
      for (const wake of this.#drainWaiters.splice(0)) wake();
    }
  }

  /** Stops accepting items; workers get what is queued, then `{ shutdown: true }`. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.metrics.stop();
    while (this.#waiters.length > 0) this.#waiters.shift()!();
    this.onShutDown();
  }

  /**
   * Shuts down, then waits until every item being processed is done (client-go's
   * `ShutDownWithDrain`). Workers must keep calling `get` and `done` meanwhile.
   */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return;
    await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  /** True once {@link Queue.shutDown} has been called. */
  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** @internal Hook for subclasses (the delaying queue stops its timer). */
  protected onShutDown(): void {}
}

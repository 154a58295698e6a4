import { DelayingQueue } from './delaying-queue.ts';
import type { QueueOptions } from './queue.ts';
import { defaultControllerRateLimiter, type WorkqueueRateLimiter } from './rate-limiters.ts';

/** Options of {@link RateLimitingQueue}. */
export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Decides retry delays. Default: {@link defaultControllerRateLimiter}. */
  rateLimiter?: WorkqueueRateLimiter<T> | undefined;
}

/**
 * The controller's queue (client-go's `RateLimitingInterface`): a {@link DelayingQueue} whose
 * failed items are retried after a delay that grows per item ({@link RateLimitingQueue.addRateLimited})
 * until {@link RateLimitingQueue.forget} is called after a success.
 *
 * @example
 * ```ts
 * const queue = new RateLimitingQueue<string>({ name: 'widgets' });
 * async function worker() {
 *   while (true) {
 *     const { item, shutdown } = await queue.get();
 *     if (shutdown) return;
 *     try {
 *       await reconcile(item);
 *       queue.forget(item);
 *     } catch {
 *       queue.addRateLimited(item);
 *     } finally {
 *       queue.done(item);
 *     }
 *   }
 * }
 * ```
 */
export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly #rateLimiter: WorkqueueRateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>();
  }

  /** Adds `item` after the delay its rate limiter gives it now (and counts a failure). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.#rateLimiter.when(item));
  }

  /** Forgets `item`'s failures: its next retry starts from the shortest delay. */
  forget(item: T): void {
    this.#rateLimiter.forget(item);
  }

  /** How many times `item` has been re-added with {@link RateLimitingQueue.addRateLimited} since it was forgotten. */
  numRequeues(item: T): number {
    return this.#rateLimiter.numRequeues(item);
  }
}

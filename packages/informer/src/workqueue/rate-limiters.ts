/*
 * client-go util/workqueue/default_rate_limiters.go: how long a failed item waits before it is
 * retried. The default combines a per-item exponential backoff (5 ms doubling to 1000 s) with an
 * overall token bucket (10 per second, burst 100), taking the longer of the two.
 */

/** Decides how long an item waits before it is retried (client-go's `TypedRateLimiter`). */
export interface WorkqueueRateLimiter<T> {
  /** The delay, in milliseconds, before `item` may be processed again; counts a failure. */
  when(item: T): number;
  /** Forgets `item`'s failures (call after a success). */
  forget(item: T): void;
  /** How many times `item` has failed since it was last forgotten. */
  numRequeues(item: T): number;
}

/**
 * Per-item exponential backoff: `baseDelayMs × 2^failures`, capped at `maxDelayMs` (client-go's
 * `ItemExponentialFailureRateLimiter`; default 5 ms to 1000 s).
 */
export class ItemExponentialFailureRateLimiter<T> implements WorkqueueRateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;

  constructor(baseDelayMs = 5, maxDelayMs = 1_000_000) {
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
  }

  when(item: T): number {
    const failures = this.#failures.get(item) ?? 0;
    this.#failures.set(item, failures + 1);
    const delay = this.#baseDelayMs * 2 ** failures;
    return Number.isFinite(delay) ? Math.min(delay, this.#maxDelayMs) : this.#maxDelayMs;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/**
 * `fastDelayMs` for the first `maxFastAttempts` failures of an item, then `slowDelayMs`
 * (client-go's `ItemFastSlowRateLimiter`).
 */
export class ItemFastSlowRateLimiter<T> implements WorkqueueRateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #fastDelayMs: number;
  readonly #slowDelayMs: number;
  readonly #maxFastAttempts: number;

  constructor(fastDelayMs: number, slowDelayMs: number, maxFastAttempts: number) {
    this.#fastDelayMs = fastDelayMs;
    this.#slowDelayMs = slowDelayMs;
    this.#maxFastAttempts = maxFastAttempts;
  }

  when(item: T): number {
    const failures = (this.#failures.get(item) ?? 0) + 1;
    this.#failures.set(item, failures);
    return failures <= this.#maxFastAttempts ? this.#fastDelayMs : this.#slowDelayMs;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket (client-go's `BucketRateLimiter` over `rate.Limiter.Reserve`): the
 * bucket starts full with `burst` tokens and refills at `qps`; each retry reserves a token,
 * waiting until one is available. Per-item failures are not tracked.
 */
export class BucketRateLimiter<T> implements WorkqueueRateLimiter<T> {
  readonly #qps: number;
  readonly #burst: number;
  #tokens: number;
  #last = performance.now();

  constructor(qps = 10, burst = 100) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`BucketRateLimiter needs qps > 0 and burst >= 1, got qps ${qps}, burst ${burst}`);
    this.#qps = qps;
    this.#burst = burst;
    this.#tokens = burst;
  }

  when(_item: T): number {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go's `MaxOfRateLimiter`). */
export class MaxOfRateLimiter<T> implements WorkqueueRateLimiter<T> {
  readonly #limiters: WorkqueueRateLimiter<T>[];

  constructor(...limiters: WorkqueueRateLimiter<T>[]) {
    this.#limiters = limiters;
  }

  when(item: T): number {
    let delay = 0;
    // Every limiter must count the failure, so none is skipped.
    for (const limiter of this.#limiters) delay = Math.max(delay, limiter.when(item));
    return delay;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let requeues = 0;
    for (const limiter of this.#limiters) requeues = Math.max(requeues, limiter.numRequeues(item));
    return requeues;
  }
}

/**
 * client-go's `DefaultControllerRateLimiter`: per item 5 ms doubling to 1000 s, overall 10
 * retries per second with a burst of 100, whichever is longer.
 */
export function defaultControllerRateLimiter<T>(): WorkqueueRateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100));
}

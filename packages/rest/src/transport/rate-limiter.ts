/**
 * Client-side rate limiting, as client-go's `flowcontrol.RateLimiter`: every request (and every
 * retry) waits for a token before it is sent; watches are exempt.
 */
export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/**
 * A token bucket: `burst` tokens, refilled at `qps` per second, full at start (client-go's
 * `NewTokenBucketRateLimiter`). Waiters are served in order.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  readonly qps: number;
  readonly burst: number;
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(qps: number, burst: number) {
    if (!(qps > 0)) throw new RangeError(`rate limiter qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`rate limiter burst must be >= 1, got ${burst}`);
    this.qps = qps;
    this.burst = burst;
    this.#tokens = burst;
    this.#last = performance.now();
  }

  acquire(signal?: AbortSignal): Promise<void> {
    // Chain waiters so they take tokens in arrival order.
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return;
    }
    const waitMs = ((1 - this.#tokens) / this.qps) * 1000;
    await sleep(waitMs, signal);
    this.#refill();
    this.#tokens -= 1;
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
  }
}

/** A limiter that never waits (QPS < 0 in a RestConfig). */
export const unlimited: RateLimiter = { acquire: async () => {} };

/** Sleeps `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

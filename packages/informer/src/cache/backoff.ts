import { jitter } from '../utils/sleep.ts';

/** Settings of {@link Backoff}; the defaults are client-go's reflector backoff. */
export interface BackoffOptions {
  /** First delay. Default 800 ms. */
  initialMs?: number | undefined;
  /** Largest delay (before jitter). Default 30 s. */
  maxMs?: number | undefined;
  /** Growth per failure. Default 2. */
  factor?: number | undefined;
  /** Random extra of up to this fraction of the delay. Default 1.0 (each delay is in [d, 2d]). */
  jitter?: number | undefined;
  /** After this long without a backoff, the next one starts again from `initialMs`. Default 2 min. */
  resetAfterMs?: number | undefined;
}

/**
 * Exponential backoff with jitter that resets after a healthy period (apimachinery's
 * `ExponentialBackoffManager`, as the reflector uses it: 800 ms doubling to 30 s, jitter 1.0,
 * reset after 2 minutes without a failure). Every reconnect of an informer after a failure
 * waits {@link Backoff.next}, so an unreachable server sees a few requests a minute, not a storm.
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #resetAfterMs: number;
  #durationMs: number;
  #lastBackoffAt = Number.NEGATIVE_INFINITY;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 800;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 1;
    this.#resetAfterMs = options.resetAfterMs ?? 120_000;
    this.#durationMs = this.#initialMs;
  }

  /** The next delay in milliseconds (and grows the one after). */
  next(now = performance.now()): number {
    if (now - this.#lastBackoffAt > this.#resetAfterMs) this.#durationMs = this.#initialMs;
    this.#lastBackoffAt = now;
    const duration = this.#durationMs;
    this.#durationMs = Math.min(this.#durationMs * this.#factor, this.#maxMs);
    return jitter(duration, this.#jitter);
  }

  /** Starts over from the initial delay. */
  reset(): void {
    this.#durationMs = this.#initialMs;
    this.#lastBackoffAt = Number.NEGATIVE_INFINITY;
  }
}

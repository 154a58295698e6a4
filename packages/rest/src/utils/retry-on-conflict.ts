import { isConflict } from '../errors/predicates.ts';
import { sleep } from '../transport/rate-limiter.ts';

/**
 * How often and how far apart {@link onError} tries again: apimachinery's `wait.Backoff`
 * without `Cap`. The first wait is `durationMs`, each next one `factor` times the last, each
 * lengthened by up to `jitter` of itself at random; `steps` is the number of calls in all.
 */
export interface Backoff {
  /** Calls in all (at least 1). */
  steps: number;
  /** The first wait, in milliseconds. */
  durationMs: number;
  /** Each wait is this many times the one before (1: all the same). */
  factor: number;
  /** Each wait is lengthened by a random share of itself, up to this (0.1: up to 10 %). */
  jitter: number;
}

/** client-go's `retry.DefaultRetry`: 5 calls, 10 ms apart (+ up to 10 %). For conflicts, which clear at once. */
export const DEFAULT_RETRY: Readonly<Backoff> = Object.freeze({ steps: 5, durationMs: 10, factor: 1, jitter: 0.1 });

/** client-go's `retry.DefaultBackoff`: 4 calls, after 10, 50 and 250 ms (+ up to 10 %). For errors that take a while to clear. */
export const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ steps: 4, durationMs: 10, factor: 5, jitter: 0.1 });

/** Options of {@link onError} and {@link retryOnConflict}. */
export interface RetryOptions {
  /** Stops waiting and calling: the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * The waits between the calls of `backoff` (one fewer than its steps), as `wait.Backoff.Step()`
 * computes them; `random` in [0, 1) picks each jitter.
 */
export function backoffDelays(backoff: Backoff, random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let duration = backoff.durationMs;
  for (let step = 1; step < Math.max(1, backoff.steps); step++) {
    delays.push(backoff.jitter > 0 ? duration + random() * backoff.jitter * duration : duration);
    if (backoff.factor !== 0) duration *= backoff.factor;
  }
  return delays;
}

/**
 * Calls `fn` until it resolves, waiting per `backoff` after each rejection that `retriable`
 * accepts — client-go's `retry.OnError`. Another error is thrown at once; when the steps run
 * out, the last error is thrown. Resolves with what `fn` resolved with.
 *
 * @example
 * ```ts
 * // An update that a webhook may refuse for a moment.
 * await onError(DEFAULT_BACKOFF, isServiceUnavailable, () => pods.update(pod));
 * ```
 */
export async function onError<T>(
  backoff: Backoff,
  retriable: (error: unknown) => boolean,
  fn: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const delays = backoffDelays(backoff);
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      const delay = delays[attempt];
      if (!retriable(error) || delay === undefined) throw error;
      await sleep(delay, options.signal);
    }
  }
}

/**
 * Calls `fn` again while it fails with 409 Conflict, per `backoff` (usually {@link DEFAULT_RETRY})
 * — client-go's `retry.RetryOnConflict`. `fn` must read the object afresh each time, change it
 * and write it: a conflict means someone wrote it in between.
 *
 * @example
 * ```ts
 * const updated = await retryOnConflict(DEFAULT_RETRY, async () => {
 *   const latest = await deployments.get('web');
 *   latest.spec!.replicas = 3;
 *   return deployments.update(latest);
 * });
 * ```
 */
export function retryOnConflict<T>(backoff: Backoff, fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return onError(backoff, isConflict, fn, options);
}

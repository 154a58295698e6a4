/*
 * The workqueue under load (issue #11): 10,000 adds of 100 keys with 8 workers. Every add must
 * be followed by a processing of its key that started after it (nothing lost), no key may be
 * processed by two workers at once, and failed keys must come back only after their backoff.
 */
import { describe, expect, it } from 'vitest';
import { RateLimitingQueue } from './rate-limiting-queue.ts';

const ADDS = Number(process.env.KGO_WORKQUEUE_STRESS_ADDS ?? 10_000);
const KEYS = 100;
const WORKERS = 8;

describe('RateLimitingQueue under load', () => {
  it(`${ADDS} adds of ${KEYS} keys with ${WORKERS} workers: all processed, never concurrently, retries backed off`, async () => {
    const queue = new RateLimitingQueue<string>({ name: 'stress' });
    let clock = 0; // a sequence number ordering adds and processing starts
    const lastAdd = new Map<string, number>();
    const lastStart = new Map<string, number>();
    const active = new Set<string>();
    const failuresLeft = new Map<string, number>();
    const failedAt = new Map<string, { at: number; delay: number }>();
    let measuring = false;
    const backoffGaps: { key: string; gap: number; delay: number }[] = [];
    let processed = 0;
    let concurrent = 0;
    let maxParallel = 0;
    // While the adds go on, keys 5, 15, … fail twice (their retries race with fresh adds, which
    // must win: an add is never held back by a backoff).
    for (let i = 5; i < KEYS; i += 10) failuresLeft.set(`key-${i}`, 2);

    async function worker(): Promise<void> {
      while (true) {
        const { item, shutdown } = await queue.get();
        if (shutdown) return;
        if (active.has(item)) concurrent++;
        active.add(item);
        maxParallel = Math.max(maxParallel, active.size);
        lastStart.set(item, ++clock);
        const failure = failedAt.get(item);
        if (failure) {
          backoffGaps.push({ key: item, gap: performance.now() - failure.at, delay: failure.delay });
          failedAt.delete(item);
        }
        // Work: yield to the event loop a few times so workers interleave.
        for (let i = Math.floor(Math.random() * 3); i >= 0; i--) await new Promise((resolve) => setImmediate(resolve));
        processed++;
        const left = failuresLeft.get(item) ?? 0;
        active.delete(item);
        if (left > 0) {
          failuresLeft.set(item, left - 1);
          const before = queue.numRequeues(item);
          queue.addRateLimited(item);
          // The per-item delay is 5 ms × 2^failures (the bucket has a burst of 100: never the longer here).
          if (measuring) failedAt.set(item, { at: performance.now(), delay: 5 * 2 ** before });
        } else {
          queue.forget(item);
        }
        queue.done(item);
      }
    }

    // Until every key's last add has been followed by a processing start and nothing is in flight.
    async function idle(): Promise<void> {
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline) {
        const caughtUp = [...lastAdd].every(([key, added]) => (lastStart.get(key) ?? 0) > added);
        if (caughtUp && queue.len() === 0 && queue.waitingLen() === 0 && active.size === 0 && [...failuresLeft.values()].every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    const workers = Array.from({ length: WORKERS }, () => worker());
    const started = performance.now();
    for (let i = 0; i < ADDS; i++) {
      const key = `key-${Math.floor(Math.random() * KEYS)}`;
      lastAdd.set(key, ++clock);
      queue.add(key);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await idle();
    // Then keys 0, 10, … fail three times each with nothing else adding them: each retry must
    // wait its own backoff (5, 10, 20 ms).
    measuring = true;
    for (let i = 0; i < KEYS; i += 10) {
      failuresLeft.set(`key-${i}`, 3);
      lastAdd.set(`key-${i}`, ++clock);
      queue.add(`key-${i}`);
    }
    await idle();
    await queue.shutDownWithDrain();
    await Promise.all(workers);
    const elapsed = performance.now() - started;

    expect(lastAdd.size).toBe(KEYS);
    for (const [key, added] of lastAdd) expect(lastStart.get(key) ?? 0, `${key} was added after its last processing`).toBeGreaterThan(added);
    expect(concurrent).toBe(0);
    expect(maxParallel).toBeGreaterThan(1);
    expect(maxParallel).toBeLessThanOrEqual(WORKERS);
    // Deduplication: far fewer processings than adds.
    expect(processed).toBeLessThan(ADDS);
    // 10 failing keys × 3 failures, each retried after its backoff (1 ms of timer slack).
    expect(backoffGaps).toHaveLength(30);
    for (const { key, gap, delay } of backoffGaps) expect(gap, `${key} retried after ${gap} ms, its backoff was ${delay} ms`).toBeGreaterThanOrEqual(delay - 1);
    expect(new Set(backoffGaps.map((gap) => gap.delay))).toEqual(new Set([5, 10, 20]));
    for (let i = 0; i < KEYS; i += 5) expect(queue.numRequeues(`key-${i}`)).toBe(0); // forgotten after success
    console.log(`[workqueue stress] ${ADDS} adds, ${processed} processings, ${WORKERS} workers (max ${maxParallel} at once), ${elapsed.toFixed(0)} ms`);
  });
});

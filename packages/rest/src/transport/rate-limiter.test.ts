import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucketRateLimiter } from './rate-limiter.ts';

describe('TokenBucketRateLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('starts full: the first `burst` acquisitions do not wait, then one per 1/qps seconds', async () => {
    const limiter = new TokenBucketRateLimiter(10, 3);
    const granted: number[] = [];
    const start = performance.now();
    const all = Array.from({ length: 6 }, () => limiter.acquire().then(() => granted.push(Math.round(performance.now() - start))));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(granted).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('rejects a waiter whose signal aborts, and keeps serving the others', async () => {
    const limiter = new TokenBucketRateLimiter(1, 1);
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    const next = limiter.acquire();
    await vi.runAllTimersAsync();
    await expect(next).resolves.toBeUndefined();
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucketRateLimiter(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucketRateLimiter(1, 0)).toThrow(RangeError);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.ts';
import { RateLimitingQueue } from './rate-limiting-queue.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiters (client-go default_rate_limiters.go)', () => {
  it('backs each item off exponentially from 5 ms to 1000 s, until forgotten', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    expect([1, 2, 3, 4, 5].map(() => limiter.when('a'))).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.numRequeues('a')).toBe(5);
    for (let i = 0; i < 40; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(1_000_000);
    for (let i = 0; i < 2000; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(1_000_000);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });

  it('gives fast then slow delays', () => {
    const limiter = new ItemFastSlowRateLimiter<string>(10, 1000, 2);
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([10, 10, 1000]);
  });

  it('lets a burst of 100 through, then 10 per second', () => {
    const bucket = new BucketRateLimiter<string>(10, 100);
    for (let i = 0; i < 100; i++) expect(bucket.when(`k${i}`)).toBe(0);
    expect(bucket.when('x')).toBeCloseTo(100, 5);
    expect(bucket.when('y')).toBeCloseTo(200, 5);
    vi.advanceTimersByTime(1000);
    // 10 tokens came back, 2 were owed: the next 8 are free.
    for (let i = 0; i < 8; i++) expect(bucket.when(`z${i}`)).toBeCloseTo(0, 5);
    expect(bucket.when('over')).toBeCloseTo(100, 5);
    expect(() => new BucketRateLimiter(0, 1)).toThrow('qps > 0');
  });

  it('takes the longest of several, and the default combines both', () => {
    const max = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(5, 1000), new ItemFastSlowRateLimiter(50, 500, 1));
    expect([max.when('a'), max.when('a'), max.when('a')]).toEqual([50, 500, 500]);
    expect(max.numRequeues('a')).toBe(3);
    max.forget('a');
    expect(max.numRequeues('a')).toBe(0);

    const limiter = defaultControllerRateLimiter<string>();
    expect(limiter.when('a')).toBe(5);
    expect(limiter.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) limiter.when(`k${i}`);
    // The bucket is empty now: its 100 ms beats the item's 5 ms.
    expect(limiter.when('fresh')).toBeCloseTo(100, 5);
  });
});

describe('RateLimitingQueue', () => {
  it('re-adds failed items after their backoff and counts requeues', async () => {
    const queue = new RateLimitingQueue<string>();
    queue.add('a');
    const { item } = await queue.get();
    queue.addRateLimited(item!);
    queue.done(item!);
    expect(queue.numRequeues('a')).toBe(1);
    expect(queue.len()).toBe(0);
    vi.advanceTimersByTime(5);
    expect(queue.len()).toBe(1);
    await queue.get();
    queue.addRateLimited('a');
    vi.advanceTimersByTime(9);
    queue.done('a');
    expect(queue.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(queue.len()).toBe(1);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
    queue.shutDown();
  });
});

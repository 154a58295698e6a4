import type { RateLimiter } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { RequestCounter } from './request-counter.ts';

describe('RequestCounter', () => {
  it('counts each token taken, after the config\'s own limiter let it through', async () => {
    const counter = new RequestCounter();
    const order: string[] = [];
    const own: RateLimiter = { acquire: async () => void order.push('own') };
    const config = counter.counted({ host: 'https://127.0.0.1:1', rateLimiter: own });
    await config.rateLimiter?.acquire();
    await config.rateLimiter?.acquire();
    expect(counter.count).toBe(2);
    expect(order).toEqual(['own', 'own']);
  });

  it('keeps rate limiting: a config with qps 1 and burst 1 waits for its second token', async () => {
    const counter = new RequestCounter();
    const limiter = counter.counted({ host: 'https://127.0.0.1:1', qps: 1, burst: 1 }).rateLimiter;
    await limiter?.acquire();
    const started = performance.now();
    await limiter?.acquire();
    expect(performance.now() - started).toBeGreaterThan(800);
    expect(counter.count).toBe(2);
  });

  it('does not count a request whose token was never granted (aborted wait)', async () => {
    const counter = new RequestCounter();
    const limiter = counter.counted({ host: 'https://127.0.0.1:1', qps: 0.1, burst: 1 }).rateLimiter;
    await limiter?.acquire();
    await expect(limiter?.acquire(AbortSignal.timeout(50))).rejects.toThrow();
    expect(counter.count).toBe(1);
  });

  it('leaves the original config alone and counts configs made from it together', async () => {
    const counter = new RequestCounter();
    const original = { host: 'https://127.0.0.1:1', qps: -1 };
    const a = counter.counted(original);
    const b = counter.counted({ ...original, burst: 300 });
    await a.rateLimiter?.acquire();
    await b.rateLimiter?.acquire();
    expect(counter.count).toBe(2);
    expect(original).toEqual({ host: 'https://127.0.0.1:1', qps: -1 });
  });
});

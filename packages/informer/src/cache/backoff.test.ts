import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff (client-go reflector backoff: 800 ms doubling to 30 s, jitter 1.0, reset after 2 min)', () => {
  it('grows exponentially with up to 100% jitter and caps', () => {
    const backoff = new Backoff();
    const delays = Array.from({ length: 9 }, (_, i) => backoff.next(1000 + i));
    const bases = [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(bases[i]!);
      expect(delay).toBeLessThanOrEqual(2 * bases[i]!);
    });
  });

  it('starts over after a healthy period without backoffs', () => {
    const backoff = new Backoff({ jitter: 0 });
    expect([backoff.next(0), backoff.next(10), backoff.next(20)]).toEqual([800, 1600, 3200]);
    expect(backoff.next(20 + 120_001)).toBe(800);
    expect(backoff.next(20 + 120_002)).toBe(1600);
    backoff.reset();
    expect(backoff.next(200_000)).toBe(800);
  });
});

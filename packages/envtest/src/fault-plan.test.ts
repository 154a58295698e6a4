import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, pickFault, resolveSeed, seededRandom, spreadRates, validateRates } from './fault-plan.ts';

describe('fault plan', () => {
  it('replays: the same seed gives the same faults, another seed others', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 2000 }, () => pickFault(spreadRates(0.3), random()));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('injects each kind at about its rate', () => {
    const random = seededRandom(7);
    const counts = new Map<string, number>();
    const n = 120_000;
    for (let i = 0; i < n; i++) {
      const fault = pickFault(spreadRates(0.6), random());
      counts.set(String(fault), (counts.get(String(fault)) ?? 0) + 1);
    }
    for (const kind of FAULT_KINDS) expect(Math.abs((counts.get(kind) ?? 0) / n - 0.05)).toBeLessThan(0.005);
    expect(Math.abs((counts.get('undefined') ?? 0) / n - 0.4)).toBeLessThan(0.01);
  });

  it('refuses rates outside [0, 1], adding up to more than 1, or of unknown kinds', () => {
    expect(() => validateRates({ reset: 1.5 })).toThrow(/rate of "reset" must be a number in \[0, 1\]/);
    expect(() => validateRates({ reset: 0.6, stall: 0.6 })).toThrow(/add up to 1.2/);
    expect(() => validateRates({ nope: 0.1 } as never)).toThrow(/unknown fault kind "nope"/);
    expect(() => validateRates(spreadRates(1))).not.toThrow();
  });

  it('takes the seed given, else KGO_FAULT_SEED', () => {
    expect(resolveSeed(5)).toBe(5);
    const before = process.env.KGO_FAULT_SEED;
    process.env.KGO_FAULT_SEED = '1234';
    try {
      expect(resolveSeed(undefined)).toBe(1234);
    } finally {
      if (before === undefined) delete process.env.KGO_FAULT_SEED;
      else process.env.KGO_FAULT_SEED = before;
    }
  });
});

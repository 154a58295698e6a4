import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, parseDemoArgs, UsageError } from './args.ts';

describe('parseDemoArgs', () => {
  it('runs every step with the default limit when given nothing', () => {
    expect(parseDemoArgs([], 5)).toEqual({ help: false, only: undefined, limit: DEFAULT_LIMIT, envtest: false });
  });

  it('takes --only as one number, a list, or repeated, sorted without repeats', () => {
    expect(parseDemoArgs(['--only', '4'], 5).only).toEqual([4]);
    expect(parseDemoArgs(['--only=3,1'], 5).only).toEqual([1, 3]);
    expect(parseDemoArgs(['--only', '5', '--only', '2,5'], 5).only).toEqual([2, 5]);
  });

  it('refuses step numbers that do not exist, naming the range', () => {
    for (const bad of ['0', '6', 'x', '1.5', '']) {
      expect(() => parseDemoArgs(['--only', bad], 5)).toThrow(UsageError);
    }
    expect(() => parseDemoArgs(['--only', '9'], 5)).toThrow('give step numbers from 1 to 5');
  });

  it('takes --help/-h, --envtest and --limit, and refuses unknown flags and positionals', () => {
    expect(parseDemoArgs(['-h'], 5).help).toBe(true);
    expect(parseDemoArgs(['--envtest', '--limit', '3'], 5)).toMatchObject({ envtest: true, limit: 3 });
    expect(() => parseDemoArgs(['--limit', '0'], 5)).toThrow('--limit "0"');
    expect(() => parseDemoArgs(['--onyl', '1'], 5)).toThrow(UsageError);
    expect(() => parseDemoArgs(['4'], 5)).toThrow(UsageError);
  });
});

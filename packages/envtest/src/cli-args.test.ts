import { describe, expect, it } from 'vitest';
import { parseNodes } from './cli-args.ts';

describe('parseNodes', () => {
  it('takes --nodes N and --nodes=N before `--`, and leaves the command after it alone', () => {
    expect(parseNodes(['--nodes', '3', '--', 'pnpm', '--nodes', 'x'], false)).toEqual({ nodes: 3, rest: ['--', 'pnpm', '--nodes', 'x'] });
    expect(parseNodes(['--nodes=2'], false)).toEqual({ nodes: 2, rest: [] });
    expect(parseNodes(['--', 'true'], false)).toEqual({ nodes: 0, rest: ['--', 'true'] });
  });

  it('lets build take a bare --nodes', () => {
    expect(parseNodes(['--nodes'], true)).toEqual({ nodes: 1, rest: [] });
    expect(parseNodes(['--nodes', '4'], true)).toEqual({ nodes: 4, rest: [] });
  });

  it('names the flag and what it got when the count is not a whole number', () => {
    expect(() => parseNodes(['--nodes', 'two'], false)).toThrow('--nodes needs a whole number of nodes (e.g. --nodes 2), got two');
    expect(() => parseNodes(['--nodes'], false)).toThrow('got nothing');
  });
});

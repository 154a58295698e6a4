import { describe, expect, it } from 'vitest';
import { firstDifference } from './first-difference.ts';

describe('firstDifference', () => {
  it('shows the first differing line of each side with its number', () => {
    const text = firstDifference('a\nb\nc\nd\n', 'a\nb\nX\nd\n', 2);
    expect(text).toBe('first difference at line 3 (- committed, + built):\n- c\n- d\n+ X\n+ d');
  });

  it('shows an added tail', () => {
    expect(firstDifference('a\n', 'a\nb\n')).toContain('+ b');
  });

  it('says so when the texts are equal', () => {
    expect(firstDifference('same', 'same')).toBe('no difference');
  });
});

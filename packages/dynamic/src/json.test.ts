import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json.ts';

describe('JSON with int64', () => {
  const text = '{"small":42,"big":9223372036854775807,"negative":-9007199254740993,"float":1.5e300,"exponent":1e21,"list":[12345678901234567890]}';

  it('keeps integers beyond 2^53 exactly as bigint when asked, and leaves every other number alone', () => {
    expect(parseJson(text, true)).toEqual({
      small: 42,
      big: 9223372036854775807n,
      negative: -9007199254740993n,
      float: 1.5e300,
      exponent: 1e21,
      list: [12345678901234567890n],
    });
  });

  it('rounds them as JSON.parse does otherwise', () => {
    expect(parseJson<{ big: number }>(text, false).big).toBe(9223372036854775807);
  });

  it('writes a bigint back as the exact JSON number, and everything else as JSON.stringify does', () => {
    expect(stringifyJson({ big: 9223372036854775807n, small: 1, s: 'x' })).toBe('{"big":9223372036854775807,"small":1,"s":"x"}');
    expect(stringifyJson(parseJson(text, true))).toBe(text.replace('1.5e300', '1.5e+300').replace('1e21', '1e+21'));
    expect(() => stringifyJson({ toJSON: () => { throw new TypeError('broken'); } })).toThrow('broken');
  });
});

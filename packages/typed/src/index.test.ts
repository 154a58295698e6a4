import { parseApiVersion as fromRest } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { formatApiVersion, parseApiVersion } from './index.ts';

describe('@kgo/typed entry', () => {
  it("re-exports @kgo/rest's apiVersion helpers rather than a copy", () => {
    expect(parseApiVersion).toBe(fromRest);
    expect(formatApiVersion(parseApiVersion('apps/v1'))).toBe('apps/v1');
  });
});

import { describe, expect, it } from 'vitest';
import { createDeduplicatingWarningHandler, parseWarningHeaders } from './warnings.ts';

describe('parseWarningHeaders', () => {
  it('reads code, agent and text, with escapes and several warnings per header', () => {
    expect(parseWarningHeaders(['299 - "first", 299 kube-apiserver "second \\"quoted\\" text"'])).toEqual([
      { code: 299, agent: '-', text: 'first' },
      { code: 299, agent: 'kube-apiserver', text: 'second "quoted" text' },
    ]);
  });
  it('keeps commas inside the text and skips a trailing date', () => {
    expect(parseWarningHeaders(['299 - "a, b" "Mon, 01 Jan 2024 00:00:00 GMT"'])).toEqual([{ code: 299, agent: '-', text: 'a, b' }]);
  });
  it('skips malformed entries', () => {
    expect(parseWarningHeaders(['garbage', '299 - "unterminated'])).toEqual([]);
  });
});

describe('the default warning handler', () => {
  it('prints each distinct 299 warning once', () => {
    const lines: string[] = [];
    const handler = createDeduplicatingWarningHandler((line) => lines.push(line));
    handler({ code: 299, agent: '-', text: 'deprecated' });
    handler({ code: 299, agent: '-', text: 'deprecated' });
    handler({ code: 299, agent: '-', text: 'other' });
    handler({ code: 199, agent: '-', text: 'misc' });
    expect(lines).toEqual(['Warning: deprecated\n', 'Warning: other\n']);
  });
});

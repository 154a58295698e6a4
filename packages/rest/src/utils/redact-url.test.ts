import { describe, expect, test } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  test.each([
    ['https://host:6443/api', 'https://host:6443/api'],
    ['https://user:secret@host:6443/api', 'https://***@host:6443/api'],
    ['socks5://user@proxy:1080', 'socks5://***@proxy:1080'],
    // Not URLs to any parser, yet a human wrote a password there.
    ['http://user:se/cret@proxy:3128', 'http://***@proxy:3128'],
    ['http://user:se?cr#et@proxy:3128', 'http://***@proxy:3128'],
    ['user:secret@proxy:3128', '***@proxy:3128'],
    ['http://user:p@ss@proxy', 'http://***@proxy'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
    expect(redactUrl(input)).not.toMatch(/se\/?cr|p@ss|secret/);
  });
});

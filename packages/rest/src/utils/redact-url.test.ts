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
    // No `@`: the password is where a port would be, and may run on into what looks like a path;
    // the user name may be a token.
    ['http://user:secret', 'http://***'],
    ['http://user:secret/path', 'http://***'],
    ['socks5://user:se/cret?x#y', 'socks5://***'],
    ['http://user:secret:more', 'http://***'],
    ['user:secret', '***'],
    ['socks5:user:secret', '***'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
    expect(redactUrl(input)).not.toMatch(/se\/?cr|p@ss|secret|user/);
  });

  test('tells a port from a password: only a host and a port (or none) are left as they are', () => {
    const unchanged = ['https://host:6443/api/v1/namespaces/a:b?x=1:2', 'http://proxy:3128/', 'http://proxy:', 'https://[::1]:6443/api', 'https://[fe80::1%25eth0]/', 'proxy:3128', 'https://host'];
    for (const url of unchanged) expect(redactUrl(url)).toBe(url);
    expect(redactUrl('http://proxy:31a8')).toBe('http://***');
  });
});

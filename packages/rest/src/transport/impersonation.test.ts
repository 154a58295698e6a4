import { describe, expect, it } from 'vitest';
import { encodeExtraKey, impersonationHeaders } from './impersonation.ts';

describe('impersonation headers', () => {
  it('keeps one value per group and per extra value', () => {
    expect(impersonationHeaders({ userName: 'jane', uid: '42', groups: ['a', 'b, c'], extra: { scopes: ['x', 'y'] } })).toEqual({
      'impersonate-user': ['jane'],
      'impersonate-uid': ['42'],
      'impersonate-group': ['a', 'b, c'],
      'impersonate-extra-scopes': ['x', 'y'],
    });
  });
  it('percent-encodes extra keys as client-go does', () => {
    expect(encodeExtraKey('example.com/scope')).toBe('example.com%2Fscope');
    expect(encodeExtraKey('100%')).toBe('100%25');
    expect(encodeExtraKey('ü')).toBe('%C3%BC');
  });
  it('refuses groups without a user', () => {
    expect(() => impersonationHeaders({ groups: ['a'] })).toThrow(/need a user name/);
  });
});

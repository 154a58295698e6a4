import { describe, expect, it } from 'vitest';
import { formatApiVersion, parseApiVersion } from './api-version.ts';

describe('apiVersion', () => {
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['rbac.authorization.k8s.io/v1', { group: 'rbac.authorization.k8s.io', version: 'v1' }],
  ])('%s round-trips', (apiVersion, groupVersion) => {
    expect(parseApiVersion(apiVersion)).toEqual(groupVersion);
    expect(formatApiVersion(groupVersion)).toBe(apiVersion);
  });
  it.each(['', 'a/b/c', '/v1', 'apps/'])('refuses %j', (apiVersion) => {
    expect(() => parseApiVersion(apiVersion)).toThrow(/unexpected apiVersion/);
  });
});

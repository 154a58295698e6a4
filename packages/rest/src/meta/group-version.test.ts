import { describe, expect, it } from 'vitest';
import {
  formatApiVersion,
  formatGroupKind,
  formatGroupResource,
  formatGroupVersionKind,
  formatGroupVersionResource,
  groupVersionKindOf,
  parseApiVersion,
  parseGroupKind,
  parseGroupResource,
  parseGroupVersion,
  parseKindArg,
  parseResourceArg,
} from './group-version.ts';

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

describe('group, version, kind and resource names', () => {
  it("formats as client-go's String() methods do", () => {
    expect(formatGroupVersionKind({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe('apps/v1, Kind=Deployment');
    expect(formatGroupVersionKind({ group: '', version: 'v1', kind: 'Pod' })).toBe('/v1, Kind=Pod');
    expect(formatGroupVersionResource({ group: 'apps', version: 'v1', resource: 'deployments' })).toBe('apps/v1, Resource=deployments');
    expect(formatGroupResource({ group: '', resource: 'pods' })).toBe('pods');
    expect(formatGroupResource({ group: 'apps', resource: 'deployments' })).toBe('deployments.apps');
  });

  it('reads the kind of an object, or says what is missing', () => {
    expect(groupVersionKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(() => groupVersionKindOf({ apiVersion: 'v1' })).toThrow('object has no kind');
    expect(() => groupVersionKindOf({ kind: 'Pod' })).toThrow('object has no apiVersion');
  });

  it('parses resource and kind arguments as schema.ParseResourceArg / ParseKindArg', () => {
    expect(parseGroupResource('deployments.apps')).toEqual({ group: 'apps', resource: 'deployments' });
    expect(parseGroupResource('pods')).toEqual({ group: '', resource: 'pods' });
    expect(parseResourceArg('deploy.v1.apps')).toEqual({
      fullySpecified: { resource: 'deploy', version: 'v1', group: 'apps' },
      groupResource: { group: 'v1.apps', resource: 'deploy' },
    });
    expect(parseResourceArg('roles.rbac.authorization.k8s.io').fullySpecified).toEqual({
      resource: 'roles',
      version: 'rbac',
      group: 'authorization.k8s.io',
    });
    expect(parseResourceArg('deployments.apps')).toEqual({ fullySpecified: undefined, groupResource: { group: 'apps', resource: 'deployments' } });
    expect(parseKindArg('Deployment.v1.apps')).toEqual({
      fullySpecified: { kind: 'Deployment', version: 'v1', group: 'apps' },
      groupKind: { group: 'v1.apps', kind: 'Deployment' },
    });
  });
});

describe('parseGroupVersion (schema.ParseGroupVersion, exactly)', () => {
  it('reads the empty, core and grouped forms and refuses two slashes', () => {
    expect(parseGroupVersion('')).toEqual({ group: '', version: '' });
    expect(parseGroupVersion('/')).toEqual({ group: '', version: '' });
    expect(parseGroupVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseGroupVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(() => parseGroupVersion('a/b/c')).toThrow('unexpected GroupVersion string: a/b/c');
  });

  it('formats and parses group-kinds', () => {
    expect(formatGroupKind({ group: '', kind: 'Pod' })).toBe('Pod');
    expect(formatGroupKind({ group: 'apps', kind: 'Deployment' })).toBe('Deployment.apps');
    expect(parseGroupKind('Deployment.apps')).toEqual({ group: 'apps', kind: 'Deployment' });
  });
});

import { describe, expect, it } from 'vitest';
import { defaultCacheDir, discoveryCacheDir, httpCacheDir, resourcesFileFor, serverGroupsFile, serverResourcesFile } from './cache-paths.ts';

describe("kubectl's discovery cache layout", () => {
  it('uses $KUBECACHEDIR, else ~/.kube/cache', () => {
    expect(defaultCacheDir({ KUBECACHEDIR: '/c' }, '/home/u')).toBe('/c');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.kube/cache');
    expect(httpCacheDir('/c')).toBe('/c/http');
  });

  it.each([
    ['https://1.2.3.4:6443', '/c/discovery/1.2.3.4_6443'],
    ['http://localhost:8080', '/c/discovery/localhost_8080'],
    ['https://example.com/k8s/clusters/c-1', '/c/discovery/example.com/k8s/clusters/c_1'],
    ['https://[::1]:6443', '/c/discovery/___1__6443'],
    // cli-runtime's character class keeps parentheses
    ['https://host/a(b)', '/c/discovery/host/a(b)'],
  ])('%s → %s', (server, expected) => expect(discoveryCacheDir(server, '/c')).toBe(expected));

  it('names the group list and the per-group-version files', () => {
    expect(serverGroupsFile('/d')).toBe('/d/servergroups.json');
    expect(serverResourcesFile('/d', '', 'v1')).toBe('/d/v1/serverresources.json');
    expect(serverResourcesFile('/d', 'apps', 'v1')).toBe('/d/apps/v1/serverresources.json');
  });
});

describe('group-version names from a server', () => {
  it.each([
    ['v1', '/d/v1/serverresources.json'],
    ['apps/v1', '/d/apps/v1/serverresources.json'],
    ['stable.example.com/v1beta1', '/d/stable.example.com/v1beta1/serverresources.json'],
    ['a-b.c-d.example/v2alpha3', '/d/a-b.c-d.example/v2alpha3/serverresources.json'],
  ])('%s is a file under the folder', (gv, path) => expect(resourcesFileFor('/d', gv)).toBe(path));

  it.each([
    '..',
    '../v1',
    '../../etc/v1',
    'apps/..',
    'apps/../../x',
    '../apps/v1',
    'a/b/c',
    '/v1',
    'apps/',
    '',
    '.',
    'apps/.',
    'Apps/v1',
    'apps/V1',
    'apps\\..\\x/v1',
    'a..b/v1',
    '.hidden/v1',
    'x/v1\u0000',
    '%2e%2e/v1',
    `${'a'.repeat(64)}.example/v1`.replace(/^a+/, 'a'.repeat(254)),
    `apps/v${'1'.repeat(63)}`,
  ])('%j never becomes a path', (gv) => expect(resourcesFileFor('/d', gv)).toBeUndefined());
});

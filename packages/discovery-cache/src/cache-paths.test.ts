import { describe, expect, it } from 'vitest';
import { defaultCacheDir, discoveryCacheDir, serverGroupsFile, serverResourcesFile } from './cache-paths.ts';

describe("kubectl's discovery cache layout", () => {
  it('uses $KUBECACHEDIR, else ~/.kube/cache', () => {
    expect(defaultCacheDir({ KUBECACHEDIR: '/c' }, '/home/u')).toBe('/c');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.kube/cache');
  });

  it.each([
    ['https://1.2.3.4:6443', '/c/discovery/1.2.3.4_6443'],
    ['http://localhost:8080', '/c/discovery/localhost_8080'],
    ['https://example.com/k8s/clusters/c-1', '/c/discovery/example.com/k8s/clusters/c_1'],
    ['https://[::1]:6443', '/c/discovery/___1__6443'],
  ])('%s → %s', (server, expected) => expect(discoveryCacheDir(server, '/c')).toBe(expected));

  it('names the group list and the per-group-version files', () => {
    expect(serverGroupsFile('/d')).toBe('/d/servergroups.json');
    expect(serverResourcesFile('/d', '', 'v1')).toBe('/d/v1/serverresources.json');
    expect(serverResourcesFile('/d', 'apps', 'v1')).toBe('/d/apps/v1/serverresources.json');
  });
});

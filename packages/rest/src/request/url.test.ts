import { describe, expect, it } from 'vitest';
import { cleanPath, joinPath } from './go-path.ts';
import { formatGoDuration } from './go-duration.ts';
import { RestClient } from '../rest-client.ts';
import { encodeQuery, pathEscape, queryEscape } from './url-encoding.ts';

const client = (host: string, groupVersion?: { group: string; version: string }) =>
  new RestClient({ host, qps: -1 }, groupVersion ? { groupVersion } : {});

describe("Go's path.Clean / path.Join", () => {
  it.each([
    ['', '.'],
    ['/', '/'],
    ['a//b', 'a/b'],
    ['/a/b/', '/a/b'],
    ['/a/./b/../c', '/a/c'],
    ['/../a', '/a'],
    ['../a', '../a'],
    ['a/../..', '..'],
    // Already clean: returned as it is.
    ['/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/pods'],
    ['a/.b/..c/c.', 'a/.b/..c/c.'],
    // Not clean, though nearly.
    ['.', '.'],
    ['..', '..'],
    ['./a', 'a'],
    ['/a/.', '/a'],
    ['/a/..', '/'],
    ['a/', 'a'],
    ['//', '/'],
  ])('cleanPath(%j) = %j', (input, expected) => expect(cleanPath(input)).toBe(expected));

  it.each([
    [[], ''],
    [['', ''], ''],
    [['a', 'b'], 'a/b'],
    [['/', 'a/', 'b/'], '/a/b'],
    [['/p', '', 'x'], '/p/x'],
  ] as [string[], string][])('joinPath(%j) = %j', (input, expected) => expect(joinPath(...input)).toBe(expected));
});

describe('request URLs, as client-go builds them', () => {
  // client-go rest/request_test.go TestAbsPath: config path prefix, Prefix(), AbsPath() → path.
  it.each([
    ['/', '', '', '/'],
    ['', '', '/', '/'],
    ['', '', '/api', '/api'],
    ['', '', '/api/', '/api/'],
    ['', '', '/apis', '/apis'],
    ['', '/foo', '/bar/foo', '/bar/foo'],
    ['', '/api/foo/123', '/bar/foo', '/bar/foo'],
    ['/p1', '', '', '/p1'],
    ['/p1', '', '/', '/p1/'],
    ['/p1', '', '/api', '/p1/api'],
    ['/p1', '', '/apis', '/p1/apis'],
    ['/p1', '/r1', '/apis', '/p1/apis'],
    ['/p1', '/api/r1', '/apis', '/p1/apis'],
    ['/p1/api/p2', '', '', '/p1/api/p2'],
    ['/p1/api/p2', '', '/', '/p1/api/p2/'],
    ['/p1/api/p2', '', '/api', '/p1/api/p2/api'],
    ['/p1/api/p2', '', '/api/', '/p1/api/p2/api/'],
    ['/p1/api/p2', '/r1', '/api/', '/p1/api/p2/api/'],
    ['/p1/api/p2', '/api/r1', '/api/', '/p1/api/p2/api/'],
  ])('host prefix %j, prefix(%j), absPath(%j) → %j', (configPrefix, resourcePrefix, absPath, expected) => {
    const request = client(`http://localhost:123${configPrefix}`).post().prefix(resourcePrefix).absPath(absPath);
    expect(request.url().pathname).toBe(expected);
  });

  it.each([
    // [description, build, expected URL]
    ['core list in a namespace', (c: RestClient) => c.get().namespace('ns').resource('pods'), 'https://h:6443/api/v1/namespaces/ns/pods'],
    ['name, resource and namespace in any order', (c: RestClient) => c.get().name('bar').resource('baz').namespace('foo'), 'https://h:6443/api/v1/namespaces/foo/baz/bar'],
    ['subresource then suffix', (c: RestClient) => c.get().name('bar').resource('baz').namespace('foo').suffix('test').subresource('a', 'b'), 'https://h:6443/api/v1/namespaces/foo/baz/bar/a/b/test'],
    ['empty namespace means all namespaces', (c: RestClient) => c.get().namespace('').resource('pods'), 'https://h:6443/api/v1/pods'],
    ['resource is lowercased', (c: RestClient) => c.get().resource('ConfigMaps'), 'https://h:6443/api/v1/configmaps'],
    ['log subresource with params', (c: RestClient) => c.get().namespace('d').resource('pods').name('p').subresource('log').params<{ container: string; follow: boolean; tailLines: number }>({ container: 'c', follow: true, tailLines: 10 }), 'https://h:6443/api/v1/namespaces/d/pods/p/log?container=c&follow=true&tailLines=10'],
    ['query keys sorted, repeated values kept in order', (c: RestClient) => c.delete().resource('nodes').name('n').params({ dryRun: ['All'] }).param('b', '2').param('a', '1').param('b', '1'), 'https://h:6443/api/v1/nodes/n?a=1&b=2&b=1&dryRun=All'],
    ['selectors escaped like url.QueryEscape', (c: RestClient) => c.get().resource('pods').params({ labelSelector: 'app in (a, b),!x', fieldSelector: 'status.phase!=Running' }), 'https://h:6443/api/v1/pods?fieldSelector=status.phase%21%3DRunning&labelSelector=app+in+%28a%2C+b%29%2C%21x'],
    ['list options', (c: RestClient) => c.get().resource('configmaps').params({ limit: 500, continue: 'tok==', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' }), 'https://h:6443/api/v1/configmaps?continue=tok%3D%3D&limit=500&resourceVersion=0&resourceVersionMatch=NotOlderThan'],
    ['timeout is sent as a Go duration', (c: RestClient) => c.get().resource('pods').timeout(90_000), 'https://h:6443/api/v1/pods?timeout=1m30s'],
    ['absPath keeps the server path prefix', (c: RestClient) => c.get().absPath('/version'), 'https://h:6443/version'],
    ['special characters in names are path-escaped', (c: RestClient) => c.get().resource('secrets').name('a b:c@d'), 'https://h:6443/api/v1/secrets/a%20b:c@d'],
  ])('%s', (_, build, expected) => {
    expect(build(client('https://h:6443', { group: '', version: 'v1' })).url().toString()).toBe(expected);
  });

  it('builds /apis/<group>/<version> paths under a path-prefixed server', () => {
    const apps = client('https://rancher.example/k8s/clusters/c-1', { group: 'apps', version: 'v1' });
    expect(apps.get().namespace('ns').resource('deployments').name('web').subresource('scale').url().toString()).toBe(
      'https://rancher.example/k8s/clusters/c-1/apis/apps/v1/namespaces/ns/deployments/web/scale',
    );
  });

  it('brackets IPv6 hosts', () => {
    expect(client('https://[::1]:6443', { group: '', version: 'v1' }).get().resource('pods').url().toString()).toBe('https://[::1]:6443/api/v1/pods');
  });

  it.each([
    ['namespace', (c: RestClient) => c.get().namespace('a').namespace('b'), 'namespace already set to "a", cannot change to "b"'],
    ['resource', (c: RestClient) => c.get().resource('a').resource('b'), 'resource already set to "a", cannot change to "b"'],
    ['name', (c: RestClient) => c.get().name('a').name('b'), 'resource name already set to "a", cannot change to "b"'],
    ['subresource', (c: RestClient) => c.get().subresource('a').subresource('b'), 'subresource already set to "a", cannot change to "b"'],
    ['empty name', (c: RestClient) => c.get().name(''), 'resource name may not be empty'],
    ['dot name', (c: RestClient) => c.get().name('..'), `invalid resource name "..": [may not be '..']`],
    ['slash in namespace', (c: RestClient) => c.get().namespace('a/b'), `invalid namespace "a/b": [may not contain '/']`],
    ['percent in resource', (c: RestClient) => c.get().resource('a%2F'), `invalid resource "a%2F": [may not contain '%']`],
    ['create with an empty namespace', (c: RestClient) => c.post().namespace('').resource('pods'), 'an empty namespace may not be set during creation'],
  ])('refuses to send: %s', async (_, build, message) => {
    await expect(build(client('https://h:6443', { group: '', version: 'v1' })).do()).rejects.toThrow(message);
  });
});

describe('encoding helpers', () => {
  it('escapes queries like url.QueryEscape (unlike URLSearchParams)', () => {
    expect(queryEscape("a b~*'!")).toBe('a+b~%2A%27%21');
    expect(encodeQuery([['z', '1'], ['a', 'x y']])).toBe('a=x+y&z=1');
  });
  it('escapes paths like url.URL.EscapedPath', () => {
    expect(pathEscape('/a b/c?d#e/ü')).toBe('/a%20b/c%3Fd%23e/%C3%BC');
  });
  it('leaves strings with nothing to escape as they are', () => {
    expect(pathEscape('/api/v1/namespaces/default/pods/a-b.c_d~e$&+,:;=@')).toBe('/api/v1/namespaces/default/pods/a-b.c_d~e$&+,:;=@');
    expect(queryEscape('aZ0-_.~')).toBe('aZ0-_.~');
    expect(queryEscape('')).toBe('');
    // One character to escape anywhere takes the escaping path.
    expect(pathEscape('/a/b%')).toBe('/a/b%25');
    expect(queryEscape('a:b')).toBe('a%3Ab');
  });
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
  ])('formatGoDuration(%d) = %s', (ms, expected) => expect(formatGoDuration(ms)).toBe(expected));
});

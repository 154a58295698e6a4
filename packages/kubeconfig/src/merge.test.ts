import { describe, expect, test } from 'vitest';
import { mergeKubeconfigs } from './merge.ts';
import { parseKubeconfig } from './parse.ts';

describe('mergeKubeconfigs', () => {
  const a = parseKubeconfig('clusters:\n- name: c\n  cluster: {server: https://a}\nusers:\n- name: u\n  user: {token: a}\n', '/a');
  const b = parseKubeconfig(
    'current-context: x\nclusters:\n- name: c\n  cluster: {server: https://b, tls-server-name: b}\n- name: d\n  cluster: {server: https://d}\ncontexts:\n- name: x\n  context: {cluster: c}\n',
    '/b',
  );
  const c = parseKubeconfig('current-context: yy\nusers:\n- name: u\n  user: {username: c}\n', '/c');

  test('first file wins per name, whole entry (no field merging)', () => {
    const merged = mergeKubeconfigs([a, b, c]);
    expect(merged.clusters.get('c')).toEqual({ server: 'https://a', origin: '/a' });
    expect(merged.clusters.get('d')?.origin).toBe('/b');
    expect(merged.users.get('u')).toEqual({ token: 'a', origin: '/a' });
  });

  test('current-context from the first file that sets it', () => {
    expect(mergeKubeconfigs([a, b, c]).currentContext).toBe('x');
    expect(mergeKubeconfigs([c, b]).currentContext).toBe('yy');
    expect(mergeKubeconfigs([]).currentContext).toBe('');
  });
});

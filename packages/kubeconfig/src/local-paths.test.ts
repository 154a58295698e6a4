import { describe, expect, test } from 'vitest';
import { resolveLocalPaths } from './local-paths.ts';
import { parseKubeconfig } from './parse.ts';

const text = `clusters:
- name: c
  cluster: {server: https://a, certificate-authority: ca.crt}
users:
- name: u
  user: {client-certificate: pki/c.crt, client-key: /abs/c.key, tokenFile: tok, exec: {command: ./bin/plugin, apiVersion: client.authentication.k8s.io/v1}}
- name: bare
  user: {exec: {command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1}}
- name: nocommand
  user: {exec: {apiVersion: client.authentication.k8s.io/v1}}
contexts:
- name: x
  context: {cluster: c, user: u}
`;

describe('resolveLocalPaths', () => {
  test('relative references become absolute against the defining file; bare commands stay on PATH', () => {
    const resolved = resolveLocalPaths(parseKubeconfig(text, '/k/dir/config'));
    expect(resolved.clusters.get('c')?.['certificate-authority']).toBe('/k/dir/ca.crt');
    expect(resolved.users.get('u')).toMatchObject({ 'client-certificate': '/k/dir/pki/c.crt', 'client-key': '/abs/c.key', tokenFile: '/k/dir/tok', exec: { command: '/k/dir/bin/plugin' } });
    expect(resolved.users.get('bare')?.exec?.command).toBe('gke-gcloud-auth-plugin');
  });

  test('is pure: the input config is left as it was', () => {
    const config = parseKubeconfig(text, '/k/dir/config');
    const before = structuredClone(config);
    const resolved = resolveLocalPaths(config);
    expect(config).toEqual(before);
    expect(resolved.clusters).not.toBe(config.clusters);
    expect(resolved.users).not.toBe(config.users);
    expect(resolved.contexts).not.toBe(config.contexts);
  });

  test('an exec block without command is left for validation (no TypeError)', () => {
    const config = parseKubeconfig(text, '/k/dir/config');
    expect(resolveLocalPaths(config).users.get('nocommand')?.exec?.command).toBe('');
    // A hand-built config (from JavaScript, no types) may lack the field entirely.
    const handBuilt = { ...config, users: new Map([['h', { exec: { apiVersion: 'client.authentication.k8s.io/v1' } as never, origin: '/k/config' }]]) };
    expect(resolveLocalPaths(handBuilt).users.get('h')?.exec?.command).toBeUndefined();
  });
});

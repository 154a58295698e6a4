import { describe, expect, test } from 'vitest';
import { selectContext } from './context-selection.ts';
import { parseKubeconfig } from './parse.ts';

const config = parseKubeconfig(`current-context: main
clusters:
- name: c1
  cluster: {server: https://one, tls-server-name: one.test, certificate-authority-data: YWJj}
- name: c2
  cluster: {server: https://two}
users:
- name: u1
  user: {token: t1}
- name: u2
  user: {token: t2}
contexts:
- name: main
  context: {cluster: c1, user: u1, namespace: ns1}
- name: bare
  context: {cluster: c2}
- name: ghost
  context: {cluster: nope, user: nobody}
`);

describe('selectContext', () => {
  test('current-context by default; namespace from the context', () => {
    const s = selectContext(config);
    expect([s.contextName, s.clusterName, s.userName, s.namespace]).toEqual(['main', 'c1', 'u1', 'ns1']);
  });

  test('namespace: override → context → default', () => {
    expect(selectContext(config, { namespace: 'x' }).namespace).toBe('x');
    expect(selectContext(config, { namespace: 'x' }).namespaceOverridden).toBe(true);
    expect(selectContext(config, { context: 'bare' }).namespace).toBe('default');
  });

  test('cluster and user overrides replace the context references', () => {
    const s = selectContext(config, { cluster: 'c2', user: 'u2' });
    expect(s.cluster.server).toBe('https://two');
    expect(s.user.token).toBe('t2');
  });

  test('named overrides must exist', () => {
    expect(() => selectContext(config, { context: 'nope' })).toThrow(/context "nope" does not exist/);
    expect(() => selectContext(config, { cluster: 'nope' })).toThrow(/cluster "nope" does not exist.*"c1", "c2"/);
    expect(() => selectContext(config, { user: 'nope' })).toThrow(/auth info "nope" does not exist/);
  });

  test('dangling references from the file resolve to empty entries', () => {
    const s = selectContext(config, { context: 'ghost' });
    expect(s.cluster).toEqual({});
    expect(s.user).toEqual({});
  });

  test('--server clears tls-server-name unless --tls-server-name is given', () => {
    expect(selectContext(config, { server: 'https://x' }).cluster).toMatchObject({ server: 'https://x' });
    expect(selectContext(config, { server: 'https://x' }).cluster['tls-server-name']).toBeUndefined();
    expect(selectContext(config, { server: 'https://x', tlsServerName: 'n' }).cluster['tls-server-name']).toBe('n');
    expect(selectContext(config, { tlsServerName: 'n' }).cluster).toMatchObject({ server: 'https://one', 'tls-server-name': 'n' });
  });

  test('--insecure-skip-tls-verify drops CA file and data', () => {
    const { cluster } = selectContext(config, { insecureSkipTlsVerify: true });
    expect(cluster['insecure-skip-tls-verify']).toBe(true);
    expect(cluster['certificate-authority-data']).toBeUndefined();
  });

  test('overrides never modify the loaded config', () => {
    selectContext(config, { server: 'https://x', insecureSkipTlsVerify: true });
    expect(config.clusters.get('c1')?.server).toBe('https://one');
    expect(config.clusters.get('c1')?.['certificate-authority-data']).toBe('YWJj');
  });
});

import { describe, expect, test } from 'vitest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { parseKubeconfig } from './parse.ts';

const fail = (text: string) => {
  try {
    parseKubeconfig(text, '/k/config');
  } catch (error) {
    expect(KubeconfigError.isInstance(error)).toBe(true);
    return error as KubeconfigError;
  }
  throw new Error('expected a failure');
};

describe('parseKubeconfig', () => {
  test('reads the v1 model into maps, keeping origins and file order', () => {
    const config = parseKubeconfig(
      `current-context: b
clusters:
- name: z
  cluster: {server: https://z, certificate-authority-data: "YWJj\\n"}
- name: a
  cluster: {server: https://a, insecure-skip-tls-verify: yes}
users:
- name: u
  user: {token: t, as-groups: [g], as-user-extra: {k: [v]}, auth-provider: {name: oidc, config: {client-id: c}}}
contexts:
- name: b
  context: {cluster: z, user: u, namespace: ns}
preferences: {colors: true}
extensions:
- name: e
  extension: {x: 1}
`,
      '/k/config',
    );
    expect(config.currentContext).toBe('b');
    expect([...config.clusters.keys()]).toEqual(['z', 'a']);
    expect(config.clusters.get('z')).toEqual({ server: 'https://z', 'certificate-authority-data': 'YWJj', origin: '/k/config' });
    expect(config.clusters.get('a')?.['insecure-skip-tls-verify']).toBe(true);
    expect(config.users.get('u')).toMatchObject({ token: 't', 'as-groups': ['g'], 'as-user-extra': { k: ['v'] }, 'auth-provider': { name: 'oidc', config: { 'client-id': 'c' } } });
    expect(config.contexts.get('b')).toMatchObject({ cluster: 'z', user: 'u', namespace: 'ns' });
    expect(config.preferences.colors).toBe(true);
    expect(config.extensions).toEqual([{ name: 'e', extension: { x: 1 } }]);
  });

  test('empty and comment-only documents are empty configs', () => {
    expect(parseKubeconfig('').clusters.size).toBe(0);
    expect(parseKubeconfig('# nothing\n').currentContext).toBe('');
  });

  test('exec: v1beta1 defaults interactiveMode, v1 does not', () => {
    const config = parseKubeconfig(`users:
- name: beta
  user: {exec: {command: c, apiVersion: client.authentication.k8s.io/v1beta1}}
- name: v1
  user: {exec: {command: c, apiVersion: client.authentication.k8s.io/v1, env: [{name: A, value: b}], args: [x]}}
`);
    expect(config.users.get('beta')?.exec?.interactiveMode).toBe('IfAvailable');
    expect(config.users.get('v1')?.exec).toEqual({ command: 'c', apiVersion: 'client.authentication.k8s.io/v1', env: [{ name: 'A', value: 'b' }], args: ['x'] });
  });

  test('timestamps stay strings (Go YAML does not convert them)', () => {
    expect(parseKubeconfig('contexts:\n- name: x\n  context: {namespace: 2001-12-14}\n').contexts.get('x')?.namespace).toBe('2001-12-14');
  });

  test.each([
    ['malformed YAML', 'clusters: [unclosed\n', /is not valid YAML/],
    ['number for a string', 'clusters:\n- name: c\n  cluster: {server: 6443}\n', /clusters\[c\]\.cluster\.server must be a string/],
    ['string for a bool', 'clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: "true"}\n', /must be true or false/],
    ['YAML 1.1 bool for a string', 'clusters:\n- name: c\n  cluster: {tls-server-name: yes}\n', /must be a string/],
    ['invalid base64', 'clusters:\n- name: c\n  cluster: {certificate-authority-data: "abc"}\n', /is not valid base64/],
    ['duplicate name', 'users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n', /users\[1\]\.name repeats the name "u"/],
    ['a list at the top', '- a\n', /must be a map/],
    ['not a Config', 'apiVersion: v1\nkind: Pod\n', /not a kubeconfig/],
    ['wrong apiVersion', 'apiVersion: v2\n', /not a kubeconfig/],
    ['clusters not a list', 'clusters: {a: 1}\n', /clusters must be a list/],
  ])('%s is an error naming file and field', (_name, text, pattern) => {
    const error = fail(text);
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain('error loading config file "/k/config"');
    expect(error.file).toBe('/k/config');
  });

  test('a YAML error never quotes the source, only says where (found by parse.fuzz.test.ts)', () => {
    const error = fail('|{"users":[{"user":{"token":"kgo-marker-token-1"}}]}\n');
    expect(error.message).toBe('error loading config file "/k/config": is not valid YAML: Block scalar header includes extra characters (line 1, column 2); fix the YAML syntax (indentation, quoting)');
  });

  test('errors never echo values', () => {
    const error = fail('users:\n- name: u\n  user: {token: 12345678901234567890}\n');
    expect(error.message).not.toContain('12345678901234567890');
    expect(error.field).toBe('users[u].user.token');
  });
});

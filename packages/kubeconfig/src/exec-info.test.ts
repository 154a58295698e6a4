import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExecCredentialProvider } from './exec-credentials.ts';
import { encodeExecInfo, execClusterInfo } from './exec-info.ts';

// What kubectl 1.32 puts in KUBERNETES_EXEC_INFO for this cluster (recorded with a plugin that
// saves the variable): client-go's field order, Go's escaping of < > &, sorted extension keys and
// the newline Go's JSON encoder ends with. The kubectl wire oracle checks the same against kubectl
// itself on every run.
const KUBECTL_EXEC_INFO =
  '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:1/p",' +
  '"tls-server-name":"a\\u003cb\\u003e","insecure-skip-tls-verify":true,"proxy-url":"http://u:p@proxy:3128","disable-compression":true,' +
  '"config":{"alpha":"\\u003c\\u0026\\u003e","nested":{"a":[1,2],"b":2},"zeta":1}},"interactive":false}}\n';

describe('KUBERNETES_EXEC_INFO', () => {
  test('without cluster info: kind, apiVersion, spec.interactive, and a final newline', () => {
    expect(encodeExecInfo('client.authentication.k8s.io/v1', false)).toBe('{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}\n');
    expect(encodeExecInfo('client.authentication.k8s.io/v1beta1', true)).toBe('{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":true}}\n');
  });

  test('with cluster info: byte for byte what kubectl sends, whatever the key order in the kubeconfig', () => {
    const cluster = execClusterInfo(
      {
        // Written in an order unlike client-go's, with an extension whose keys are unsorted.
        'disable-compression': true,
        'proxy-url': 'http://u:p@proxy:3128',
        'insecure-skip-tls-verify': true,
        'tls-server-name': 'a<b>',
        server: 'https://127.0.0.1:1/p?q=<&>',
        extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { zeta: 1, alpha: '<&>', nested: { b: 2, a: [1, 2] } } }],
      },
      'https://127.0.0.1:1/p',
      undefined,
    );
    expect(encodeExecInfo('client.authentication.k8s.io/v1', false, cluster)).toBe(KUBECTL_EXEC_INFO);
  });

  test('field order and omitempty hold for a hand-built cluster; config is null without an extension', () => {
    const info = encodeExecInfo('client.authentication.k8s.io/v1', false, {
      config: { '10': 'x', '9': 'y', b: null },
      'certificate-authority-data': 'Q0E=',
      'insecure-skip-tls-verify': false,
      server: 'https://a',
    });
    // Integer-like keys sort as Go sorts strings ("10" < "9"), not as JavaScript orders them.
    expect(info).toBe(
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://a","certificate-authority-data":"Q0E=","config":{"10":"x","9":"y","b":null}},"interactive":false}}\n',
    );
    expect(encodeExecInfo('v', false, { server: 'https://a' })).toContain('"cluster":{"server":"https://a","config":null}');
    expect(encodeExecInfo('v', false, { server: 'line\u2028sep' })).toContain('"server":"line\\u2028sep"');
  });

  test('the plugin receives exactly that string', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-exec-info-'));
    try {
      const plugin = join(dir, 'plugin');
      await writeFile(plugin, `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "${dir}/info"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`);
      await chmod(plugin, 0o755);
      const cluster = execClusterInfo(
        {
          server: 'https://127.0.0.1:1/p',
          'tls-server-name': 'a<b>',
          'insecure-skip-tls-verify': true,
          'proxy-url': 'http://u:p@proxy:3128',
          'disable-compression': true,
          extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { zeta: 1, alpha: '<&>', nested: { b: 2, a: [1, 2] } } }],
        },
        'https://127.0.0.1:1/p',
        undefined,
      );
      const exec = { command: plugin, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', provideClusterInfo: true };
      await new ExecCredentialProvider({ exec, cluster, stdinIsTerminal: false }).getCredentials();
      expect(await readFile(join(dir, 'info'), 'utf8')).toBe(KUBECTL_EXEC_INFO);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

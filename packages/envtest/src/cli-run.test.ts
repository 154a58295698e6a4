/*
 * `kgo-envtest run -- CMD`: the command must talk to the control plane the CLI started, whatever
 * the shell says. A program written from the docs (`loadConfig()`, kubectl) reads KUBECONFIG,
 * then ~/.kube/config, which on a developer's machine may be a production cluster: the decoy
 * home, kubeconfig and cluster file below stand for those, and the decoy server counts whoever
 * believes them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from './binaries.ts';

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kgo-cli-run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the command run under the CLI reports about its environment. */
interface Report {
  env: { KGO_TEST_CLUSTER?: string; KGO_TEST_KUBECONFIG?: string; KUBECONFIG?: string; HOME?: string };
  cluster: { server: string; adminKubeconfig: string };
  provided: { key?: string; server?: string; managed?: boolean; hasUser: boolean };
  kubectlServer: string;
  namespaces: string[];
}

// The command: prints its cluster variables, what the vitest global setup would provide a suite
// under this environment, and what plain kubectl (no --kubeconfig) reaches.
const CHILD = `
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import setup from ${JSON.stringify(join(here, 'vitest-setup.ts'))};
const env = process.env;
const cluster = JSON.parse(readFileSync(env.KGO_TEST_CLUSTER, 'utf8'));
let provided = {};
await setup({ name: 'cli-run', getProvidedContext: () => ({}), provide: (key, value) => (provided = { key, value }) });
// Bounded, and a failure reported rather than thrown: kubectl retries a server it cannot reach for a minute.
const kubectl = (...args) => {
  try {
    return execFileSync('kubectl', ['--request-timeout=10s', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  } catch (error) {
    return 'kubectl failed: ' + String(error.stderr || error.message).split('\\n')[0];
  }
};
console.log(JSON.stringify({
  env: { KGO_TEST_CLUSTER: env.KGO_TEST_CLUSTER, KGO_TEST_KUBECONFIG: env.KGO_TEST_KUBECONFIG, KUBECONFIG: env.KUBECONFIG, HOME: env.HOME },
  cluster: { server: cluster.server, adminKubeconfig: cluster.adminKubeconfig },
  provided: { key: provided.key, server: provided.value?.server, managed: provided.value?.managed, hasUser: Boolean(provided.value?.user) },
  kubectlServer: kubectl('config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'),
  namespaces: kubectl('get', 'namespaces', '-o', 'name').trim().split('\\n'),
}));
`;

describe('kgo-envtest run -- CMD', () => {
  it('aims KUBECONFIG, KGO_TEST_KUBECONFIG and KGO_TEST_CLUSTER at its control plane, over a decoy ~/.kube/config and shell variables', async () => {
    // The decoy "production" server: a TCP listener that only counts connections.
    let decoyConnections = 0;
    const decoy = createServer((socket) => {
      decoyConnections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const decoyKubeconfig = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'production', cluster: { server: `https://127.0.0.1:${(decoy.address() as AddressInfo).port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'prod-admin', user: { token: 'decoy' } }],
      contexts: [{ name: 'production', context: { cluster: 'production', user: 'prod-admin' } }],
      'current-context': 'production',
    });
    const home = join(scratch, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), decoyKubeconfig);
    const shellKubeconfig = join(scratch, 'shell-kubeconfig');
    writeFileSync(shellKubeconfig, decoyKubeconfig);

    // The binaries by path: the decoy HOME would hide ~/.cache/kgo/envtest.
    const binaries = await resolveBinaries();
    const { KUBECONFIG: _, ...inherited } = process.env;
    const env = {
      ...inherited,
      HOME: home,
      KUBEBUILDER_ASSETS: dirname(binaries.kubeApiserver),
      KGO_TEST_KUBECONFIG: shellKubeconfig,
      KGO_TEST_CLUSTER: join(scratch, 'stale-test-cluster.json'),
    };
    let stdout: string;
    try {
      stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [join(here, 'cli.ts'), 'run', '--', process.execPath, '--input-type=module', '-e', CHILD],
          { env, timeout: 80_000 },
          (error, out, err) => (error ? reject(new Error(`kgo-envtest run failed: ${error.message}\n${err}`)) : resolve(out)),
        );
      });
    } finally {
      decoy.close();
    }
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Report;

    expect(report.env.HOME).toBe(home);
    // Plain kubectl is aimed at the control plane, and nothing reached the decoy.
    expect(report.kubectlServer).toBe(report.cluster.server);
    expect(report.namespaces).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
    expect(decoyConnections).toBe(0);
    expect(report.env.KUBECONFIG).toBe(report.cluster.adminKubeconfig);
    expect(report.env.KGO_TEST_KUBECONFIG).toBe(report.cluster.adminKubeconfig);
    // The cluster file and kubeconfig are the new control plane's (in its data folder), not the shell's.
    expect(report.env.KGO_TEST_CLUSTER).not.toBe(env.KGO_TEST_CLUSTER);
    expect(dirname(report.env.KGO_TEST_CLUSTER ?? '')).toBe(dirname(report.cluster.adminKubeconfig));
    // With both variables set, a suite still gets the full description of this one plane.
    expect(report.provided).toEqual({ key: 'kgoTestCluster', server: report.cluster.server, managed: true, hasUser: true });
    // And the CLI stopped it afterwards.
    expect(existsSync(dirname(report.cluster.adminKubeconfig))).toBe(false);
  }, 90_000);
});

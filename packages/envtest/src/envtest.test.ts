import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { type AddressInfo, createServer, Socket } from 'node:net';
import { startControlPlane } from './control-plane.ts';
import { freePort } from './ports.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';
import { testCluster } from './vitest.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** Command lines of running processes that mention `needle` (the control plane's unique data folder). */
async function processesMentioning(needle: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

describe('pinned versions', () => {
  it('match the Go modules that build the binaries', () => {
    const apiserverMod = readFileSync(join(here, '..', 'go', 'kubernetes', 'go.mod'), 'utf8');
    expect(apiserverMod).toContain(`require k8s.io/kubernetes v${KUBERNETES_VERSION}`);
    expect(apiserverMod).toContain(`k8s.io/api => k8s.io/api v0.${KUBERNETES_VERSION.split('.').slice(1).join('.')}`);
    const etcdMod = readFileSync(join(here, '..', 'go', 'etcd', 'go.mod'), 'utf8');
    expect(etcdMod).toContain(`require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}`);
    const kwokMod = readFileSync(join(here, '..', 'go', 'kwok', 'go.mod'), 'utf8');
    expect(kwokMod).toContain(`require sigs.k8s.io/kwok v${KWOK_VERSION}\n`);
  });
});

describe('the control plane from the global setup', () => {
  const cluster = testCluster();

  it('serves /version with the pinned gitVersion, to the admin client certificate', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', cluster.adminKubeconfig, 'version', '-o', 'json']);
    const version = JSON.parse(stdout) as { serverVersion: { gitVersion: string } };
    if (cluster.managed) expect(version.serverVersion.gitVersion).toBe(`v${KUBERNETES_VERSION}`);
    expect(version.serverVersion.gitVersion).toBe(cluster.gitVersion ?? version.serverVersion.gitVersion);
  });

  it('writes kubeconfigs kubectl understands: the admin may do anything, the token user gets 403', async (context) => {
    if (!cluster.user) return context.skip('the token user exists only on envtest clusters');
    const admin = await run('kubectl', ['--kubeconfig', cluster.adminKubeconfig, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(admin.stdout).toBe('kgo-admin');
    const user = await run('kubectl', ['--kubeconfig', cluster.user.kubeconfig, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(user.stdout).toBe(cluster.user.name);
    const forbidden = await run('kubectl', ['--kubeconfig', cluster.user.kubeconfig, 'get', 'secrets', '-n', 'default']).catch((error: { stderr: string }) => error);
    expect((forbidden as { stderr: string }).stderr).toContain(`User "${cluster.user.name}" cannot list resource "secrets"`);
  });
});

describe('lifecycle', () => {
  it('starts a second control plane beside the first, and stop() leaves no process and no folder', async () => {
    const plane = await startControlPlane();
    expect(plane.gitVersion).toBe(`v${KUBERNETES_VERSION}`);
    const running = (await processesMentioning(plane.dataDir)).map((line) => line.trim().split(/\s+/)[1]);
    expect(running).toContain(plane.binaries.kubeApiserver);
    expect(running).toContain(plane.binaries.etcd);
    await plane.stop();
    expect(await processesMentioning(plane.dataDir)).toEqual([]);
    expect(existsSync(plane.dataDir)).toBe(false);
    await plane.stop();
  }, 90_000);

  it('restartApiServer(): same URL, objects kept, an open watch ends, requests refused while down, then served', async () => {
    const plane = await startControlPlane();
    try {
      const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', plane.admin.kubeconfig, ...args]);
      await kubectl('create', 'configmap', 'survivor', '--from-literal=k=v');
      // A raw watch on ConfigMaps, open across the restart.
      const watchEnded = new Promise<string>((resolve, reject) => {
        const req = request(`${plane.server}/api/v1/namespaces/default/configmaps?watch=1`, { ca: plane.caCert, cert: plane.admin.cert, key: plane.admin.key }, (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve('end'));
          res.on('error', () => resolve('error'));
          res.on('close', () => resolve('close'));
        });
        req.on('error', (error) => (req.writableEnded ? resolve('error') : reject(error)));
        req.end();
      });
      const probes: number[] = [];
      let probing = true;
      // While it restarts, a plain TCP connect to the port is refused for a while.
      const port = Number(new URL(plane.server).port);
      const prober = (async () => {
        while (probing) {
          const refused = await new Promise<boolean>((resolve) => {
            const socket = new Socket();
            socket.once('connect', () => (socket.destroy(), resolve(false)));
            socket.once('error', () => resolve(true));
            socket.connect(port, '127.0.0.1');
          });
          if (refused) probes.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      await plane.restartApiServer({ downMs: 1000 });
      probing = false;
      await prober;
      expect(await watchEnded).toMatch(/^(end|error|close)$/);
      expect(probes.length).toBeGreaterThan(5);
      const { stdout } = await kubectl('get', 'configmap', 'survivor', '-o', 'jsonpath={.data.k}');
      expect(stdout).toBe('v');
      expect(existsSync(join(plane.dataDir, 'kube-apiserver.restart-1.log'))).toBe(true);
    } finally {
      await plane.stop();
    }
    expect(await processesMentioning(plane.dataDir)).toEqual([]);
    await expect(plane.restartApiServer()).rejects.toThrow(/is stopped; start a new one/);
  }, 120_000);

  it('starts again with new ports when another process took a port it picked', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    let calls = 0;
    // The first port handed out (etcd's client port) is already in use.
    const plane = await startControlPlane({ freePort: async () => (calls++ === 0 ? taken : freePort()) });
    try {
      expect(calls).toBeGreaterThan(3);
      expect(plane.gitVersion).toBe(`v${KUBERNETES_VERSION}`);
    } finally {
      await plane.stop();
      squatter.close();
    }
  }, 120_000);

  it.each([
    ['a plain control plane', {}, ['etcd', 'kube-apiserver']],
    ['a cluster with nodes', { nodes: 1 }, ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']],
  ])('leaves no orphan of %s when the process that started it is killed with SIGKILL', async (_, options, binaries) => {
    const script = `
      import { startControlPlane } from ${JSON.stringify(join(here, 'control-plane.ts'))};
      const plane = await startControlPlane({ keepDataDir: true, ...${JSON.stringify(options)} });
      console.log(plane.dataDir);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dataDir = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before the control plane was ready`)));
    });
    const running = (await processesMentioning(dataDir)).map((line) => basename(line.trim().split(/\s+/)[1] ?? ''));
    for (const binary of binaries) expect(running).toContain(binary);
    child.kill('SIGKILL');
    expect(await waitUntil(async () => (await processesMentioning(dataDir)).length === 0, 20_000)).toBe(true);
    await run('rm', ['-rf', dataDir]);
  }, 90_000);

  it('keeps the data folder of a failed start and names the log to read', async () => {
    const failed = await startControlPlane({ apiserverFlags: ['--no-such-flag=1'] }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.message).toMatch(/^kube-apiserver exited with code 1 before it was ready\. Its log \(\/.+\/kube-apiserver\.log\) ends with:\n/);
    expect(failed?.message).toContain('unknown flag: --no-such-flag');
    const dataDir = /The logs of every server of this start are kept in (\S+)\.\)$/.exec(failed?.message ?? '')?.[1] ?? '';
    expect(readFileSync(join(dataDir, 'kube-apiserver.log'), 'utf8')).toContain('unknown flag: --no-such-flag');
    expect(await processesMentioning(dataDir)).toEqual([]);
    await run('rm', ['-rf', dataDir]);
  }, 60_000);

  it('stops cleanly, nodes and all, on SIGINT to the CLI', async () => {
    const child = spawn(process.execPath, [join(here, 'cli.ts'), 'start', '--nodes', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil(async () => output.includes('Ctrl-C stops it.'), 60_000);
    const kubeconfig = /admin kubeconfig: (.+)/.exec(output)?.[1] ?? '';
    const dataDir = dirname(kubeconfig);
    expect(existsSync(kubeconfig)).toBe(true);
    expect(output).toMatch(/^nodes: kwok-node-0 \(exec runs in \S+\/exec\)$/m);
    expect((await processesMentioning(dataDir)).some((line) => line.includes('/kwok '))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await processesMentioning(dataDir)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  }, 90_000);
});

import { execFile, spawn } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { criLogLine, simulatePod } from './simulated-pod.ts';
import { uniqueNamespace } from './vitest.ts';

/*
 * A cluster where workloads run, proven with kubectl (the oracle): every behaviour below needs
 * kube-scheduler, kube-controller-manager or kwok's nodes, and none happens on a plain control plane.
 */

const execFileAsync = promisify(execFile);
let plane: ControlPlane;
let kubeconfig: string;

const kubectl = async (...args: string[]): Promise<string> => (await execFileAsync('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;
const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await kubectl(...args, '-o', 'json')) as T;

interface PodJson {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { nodeName?: string; containers: { image: string }[] };
  status: { phase: string; podIP?: string; conditions?: { type: string; status: string }[] };
}
const ready = (pod: PodJson) => pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

beforeAll(async () => {
  plane = await startControlPlane({ nodes: 2 });
  kubeconfig = plane.admin.kubeconfig;
}, 180_000);
afterAll(() => plane?.stop());

async function namespace(): Promise<string> {
  const name = uniqueNamespace('kgo-nodes');
  await kubectl('create', 'namespace', name);
  // The controller-manager's service-account controller makes `default` a moment after the namespace.
  await kubectl('wait', '--for=jsonpath={.metadata.name}=default', 'serviceaccount/default', '-n', name, '--timeout=30s');
  return name;
}

describe('nodes', () => {
  it('are Ready, untainted, leased, and reach the kubelet API through kwok', async () => {
    const nodes = await json<{ items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[]; addresses: { type: string; address: string }[] } }[] }>('get', 'nodes');
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(plane.nodes?.names);
    for (const node of nodes.items) {
      expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    }
    const leases = await json<{ items: { metadata: { name: string } }[] }>('get', 'leases', '-n', 'kube-node-lease');
    expect(leases.items.map((l) => l.metadata.name).sort()).toEqual(plane.nodes?.names);
  });
});

describe('workloads (kubectl)', () => {
  it('rolls out a Deployment, rolls it to a new image, and scales it up and down', async () => {
    const ns = await namespace();
    await kubectl('create', 'deployment', 'web', '--image=registry.k8s.io/pause:3.10', '--replicas=2', '-n', ns);
    expect(await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s')).toContain('successfully rolled out');
    const pods = await json<{ items: PodJson[] }>('get', 'pods', '-l', 'app=web', '-n', ns);
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status.phase).toBe('Running');
      expect(ready(pod)).toBe(true);
      expect(pod.status.podIP).toMatch(/^10\.244\./);
      expect(plane.nodes?.names).toContain(pod.spec.nodeName);
    }

    await kubectl('set', 'image', 'deployment/web', 'pause=registry.k8s.io/pause:3.9', '-n', ns);
    expect(await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s')).toContain('successfully rolled out');
    const sets = await json<{ items: { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } }; status: { readyReplicas?: number } }[] }>(
      'get', 'replicasets', '-l', 'app=web', '-n', ns,
    );
    const byImage = Object.fromEntries(sets.items.map((rs) => [rs.spec.template.spec.containers[0]?.image, rs]));
    expect(byImage['registry.k8s.io/pause:3.9']?.status.readyReplicas).toBe(2);
    expect(byImage['registry.k8s.io/pause:3.10']?.spec.replicas).toBe(0);

    await kubectl('scale', 'deployment/web', '--replicas=4', '-n', ns);
    await kubectl('wait', '--for=jsonpath={.status.readyReplicas}=4', 'deployment/web', '-n', ns, '--timeout=60s');
    await kubectl('scale', 'deployment/web', '--replicas=1', '-n', ns);
    await kubectl('wait', '--for=jsonpath={.status.replicas}=1', 'deployment/web', '-n', ns, '--timeout=60s');
    // The scaled-down pods are deleted by the ReplicaSet controller and removed by kwok.
    await waitFor(async () => (await json<{ items: PodJson[] }>('get', 'pods', '-l', 'app=web', '-n', ns)).items.length === 1, 'one web pod left');
    const [left] = (await json<{ items: PodJson[] }>('get', 'pods', '-l', 'app=web', '-n', ns)).items;
    expect(left?.spec.containers[0]?.image).toBe('registry.k8s.io/pause:3.9');
  });

  it('cascades deletion through owner references: foreground, background and orphan', async () => {
    const ns = await namespace();
    for (const name of ['fg', 'bg', 'orphan']) {
      await kubectl('create', 'deployment', name, '--image=registry.k8s.io/pause:3.10', '--replicas=1', '-n', ns);
      await kubectl('rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=60s');
    }
    const dependents = async (app: string) => {
      const rs = await json<{ items: { metadata: { ownerReferences?: unknown[] } }[] }>('get', 'replicasets', '-l', `app=${app}`, '-n', ns);
      const pods = await json<{ items: PodJson[] }>('get', 'pods', '-l', `app=${app}`, '-n', ns);
      return { replicaSets: rs.items, pods: pods.items };
    };

    // Foreground: the garbage collector deletes the ReplicaSet and its pod before the Deployment,
    // so once kubectl has waited for the Deployment to go, its dependents are gone too.
    await kubectl('delete', 'deployment/fg', '--cascade=foreground', '--wait=true', '--timeout=60s', '-n', ns);
    expect(await dependents('fg')).toEqual({ replicaSets: [], pods: [] });

    // Background: the Deployment goes at once; the garbage collector removes the rest afterwards.
    await kubectl('delete', 'deployment/bg', '--cascade=background', '-n', ns);
    await waitFor(async () => {
      const left = await dependents('bg');
      return left.replicaSets.length === 0 && left.pods.length === 0;
    }, 'the bg ReplicaSet and pod collected');

    // Orphan: the ReplicaSet stays, without its owner reference.
    await kubectl('delete', 'deployment/orphan', '--cascade=orphan', '--wait=true', '--timeout=60s', '-n', ns);
    const orphans = await dependents('orphan');
    expect(orphans.replicaSets).toHaveLength(1);
    expect(orphans.replicaSets[0]?.metadata.ownerReferences ?? []).toEqual([]);
    expect(orphans.pods).toHaveLength(1);
  });

  it('completes a Job, and finishes deleting a namespace with running pods in it', async () => {
    const ns = await namespace();
    await kubectl('create', 'job', 'once', '--image=registry.k8s.io/pause:3.10', '-n', ns);
    await kubectl('wait', '--for=condition=complete', 'job/once', '-n', ns, '--timeout=60s');
    const job = await json<{ status: { succeeded?: number } }>('get', 'job/once', '-n', ns);
    expect(job.status.succeeded).toBe(1);

    await kubectl('create', 'deployment', 'web', '--image=registry.k8s.io/pause:3.10', '--replicas=2', '-n', ns);
    await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s');
    // The namespace controller deletes everything in it, then the namespace itself.
    await kubectl('delete', 'namespace', ns, '--wait=true', '--timeout=90s');
    const gone = await kubectl('get', 'namespace', ns).catch((error: { stderr: string }) => error.stderr);
    expect(gone).toContain(`namespaces "${ns}" not found`);
  }, 120_000);

  it('evicts a pod through the eviction subresource, and refuses while a PodDisruptionBudget forbids it', async () => {
    const ns = await namespace();
    await kubectl('run', 'guarded', '--image=registry.k8s.io/pause:3.10', '--labels=app=guarded', '-n', ns);
    await kubectl('run', 'free', '--image=registry.k8s.io/pause:3.10', '--labels=app=free', '-n', ns);
    await kubectl('wait', '--for=condition=Ready', 'pod/guarded', 'pod/free', '-n', ns, '--timeout=60s');
    await kubectl('create', 'poddisruptionbudget', 'guard', '--selector=app=guarded', '--min-available=1', '-n', ns);
    // The disruption controller (controller-manager) computes the budget's status; eviction reads it.
    await kubectl('wait', '--for=jsonpath={.status.expectedPods}=1', 'pdb/guard', '-n', ns, '--timeout=30s');

    const evict = (pod: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'create', '--raw', `/api/v1/namespaces/${ns}/pods/${pod}/eviction`, '-f', '-']);
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
        child.stdin.end(JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } }));
      });
    const refused = await evict('guarded');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('TooManyRequests');
    expect((await evict('free')).code).toBe(0);
    await kubectl('wait', '--for=delete', 'pod/free', '-n', ns, '--timeout=60s');
    expect((await json<PodJson>('get', 'pod/guarded', '-n', ns)).status.phase).toBe('Running');
  });
});

describe('running containers (kubectl)', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await namespace();
    await kubectl('run', 'box', '--image=registry.k8s.io/pause:3.10', '-n', ns);
    await kubectl('wait', '--for=condition=Ready', 'pod/box', '-n', ns, '--timeout=60s');
  });

  it('exec runs the command as a local process: stdout, stderr, stdin to its end', async () => {
    const { stdout, stderr } = await execFileAsync('kubectl', ['--kubeconfig', kubeconfig, 'exec', 'box', '-n', ns, '--', 'sh', '-c', 'echo hi; echo oops >&2; pwd']);
    expect(stdout).toBe(`hi\n${plane.nodes?.execWorkDir}\n`);
    // kubectl 1.32 may log a klog line of its own here ("Unknown stream id 1, discarding message",
    // its WebSocket reader after the stream closed); the command's stderr is what remains.
    expect(withoutKlog(stderr)).toBe('oops\n');

    const cat = spawn('kubectl', ['--kubeconfig', kubeconfig, 'exec', '-i', 'box', '-n', ns, '--', 'cat']);
    let echoed = '';
    cat.stdout.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
    cat.stdin.end('line one\nline two\n');
    // cat ends only when the end of stdin reaches it.
    const code = await new Promise<number | null>((resolve) => cat.on('close', resolve));
    expect(code).toBe(0);
    expect(echoed).toBe('line one\nline two\n');
  });

  it("exec with a TTY: the command sees a terminal of the size kubectl sends", async () => {
    // kubectl -t needs a terminal of its own: util-linux's script gives it one, 91×27.
    const inner = `stty cols 91 rows 27; kubectl --kubeconfig ${kubeconfig} exec -it box -n ${ns} -- sh -c 'stty size; tty'`;
    const tty = spawn('script', ['-qec', inner, '/dev/null']);
    let out = '';
    tty.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => tty.on('close', resolve));
    expect(code).toBe(0);
    expect(out.replaceAll('\r', '')).toMatch(/^27 91\n\/dev\/pts\/\d+\n/m);
  });

  it("exec of a failing command: kubectl fails with kwok's internal error, not the kubelet's exit code", async () => {
    const failed = await execFileAsync('kubectl', ['--kubeconfig', kubeconfig, 'exec', 'box', '-n', ns, '--', 'sh', '-c', 'exit 3']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    // A kubelet reports Status NonZeroExitCode and kubectl exits 3; kwok reports an internal error.
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('error executing command in container: cmd wait: sh -c exit 3: exit status 3');
  });

  it('port-forward relays to the local address the test chose', async () => {
    const server: Server = createServer((request, response) => response.end(`hello from ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await simulatePod(asCluster(plane), { namespace: ns, name: 'box' }, { ports: { 8080: { port: (server.address() as AddressInfo).port } } });
      const forward = spawn('kubectl', ['--kubeconfig', kubeconfig, 'port-forward', 'pod/box', ':8080', '-n', ns]);
      try {
        const localPort = await new Promise<number>((resolve, reject) => {
          let out = '';
          forward.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out);
            if (match) resolve(Number(match[1]));
          });
          forward.on('close', (code) => reject(new Error(`kubectl port-forward exited with ${code}: ${out}`)));
        });
        // kwok reads the PortForward through an informer: the first connection may come before it has it.
        let body = '';
        await waitFor(async () => {
          body = await fetch(`http://127.0.0.1:${localPort}/through-kubectl`).then((r) => r.text(), () => '');
          return body !== '';
        }, 'an answer through the port-forward');
        expect(body).toBe('hello from /through-kubectl');
      } finally {
        forward.kill();
      }
    } finally {
      server.close();
    }
  });

  it('logs and logs -f read the file the test writes, in CRI format, as it grows', async () => {
    const file = join(plane.dataDir, 'box.log');
    await writeFile(file, criLogLine('first') + criLogLine('to stderr', { stream: 'stderr' }));
    await simulatePod(asCluster(plane), { namespace: ns, name: 'box' }, { logs: { file, follow: true } });
    expect(await kubectl('logs', 'box', '-n', ns)).toBe('first\nto stderr\n');

    const follow = spawn('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', 'box', '-n', ns]);
    try {
      let out = '';
      follow.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const seen = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!out.includes(text)) return;
            follow.stdout.off('data', check);
            resolve();
          };
          follow.stdout.on('data', check);
          follow.on('close', (code) => reject(new Error(`kubectl logs -f exited with ${code}: ${out}`)));
          check();
        });
      await seen('to stderr\n');
      await appendFile(file, criLogLine('written later'));
      await seen('written later\n');
      expect(out).toBe('first\nto stderr\nwritten later\n');
    } finally {
      follow.kill();
    }
    expect(await readFile(file, 'utf8')).toContain(' stdout F written later\n');
  });

  it('attach streams what is appended to the CRI log file given for the pod, from the moment it attaches', async () => {
    const file = join(plane.dataDir, 'box-attach.log');
    await writeFile(file, criLogLine('before attaching'));
    await simulatePod(asCluster(plane), { namespace: ns, name: 'box' }, { attach: { file } });
    const attach = spawn('kubectl', ['--kubeconfig', kubeconfig, 'attach', 'box', '-n', ns]);
    try {
      let out = '';
      attach.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      // kwok starts at the file's end once it has the Attach and the stream is up: append until a line arrives.
      let tick = 0;
      await waitFor(async () => {
        await appendFile(file, criLogLine(`tick ${tick++}`));
        return /^tick \d+$/m.test(out);
      }, 'an appended line through kubectl attach', 30_000);
      expect(out).not.toContain('before attaching');
      expect(out.trim().split('\n').every((line) => /^tick \d+$/.test(line))).toBe(true);
    } finally {
      attach.kill();
    }
  });
});

/** stderr without kubectl's own klog lines (`E1207 23:11:05.555018 7951 file.go:296] …`). */
function withoutKlog(stderr: string): string {
  return stderr.replace(/^[EWI]\d{4} \d{2}:\d{2}:\d{2}\.\d+ +\d+ \S+:\d+\] .*\n/gm, '');
}

function asCluster(p: ControlPlane) {
  return { server: p.server, caCert: p.caCert, admin: { cert: p.admin.cert, key: p.admin.key } };
}

/** Polls `check` every 200 ms until it holds (bounded, 60 s): for what the controllers do in their own time. */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

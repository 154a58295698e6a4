/*
 * What a cluster with nodes costs, for the envtest README: warm start time with and without
 * nodes (binaries cached), and the resident memory of every server of a cluster with nodes,
 * idle and running a Deployment. Run: node scripts/measure-cost.ts [starts per kind, default 5]
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { startControlPlane } from '../src/index.ts';

const runs = Number(process.argv[2] ?? 5);
const kubectl = promisify(execFile);

/** RSS (MiB) of each process whose command line mentions `needle`, by binary name; the watchdog shells excluded. */
async function rssByBinary(needle: string): Promise<Record<string, number>> {
  const rss: Record<string, number> = {};
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const [command, ...args] = cmdline.split('\0');
    if (!command || command === '/bin/sh' || !args.some((arg) => arg.includes(needle))) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    rss[basename(command)] = (rss[basename(command)] ?? 0) + kib / 1024;
  }
  return rss;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const plain: number[] = [];
const withNodes: number[] = [];
for (let i = 0; i < runs; i++) {
  const a = await startControlPlane();
  plain.push(a.startupMs);
  await a.stop();
  const b = await startControlPlane({ nodes: 2 });
  withNodes.push(b.startupMs);
  await b.stop();
}
console.log(`warm start, ${runs} each: plain median ${median(plain)} ms (${plain.join(', ')}); with 2 nodes median ${median(withNodes)} ms (${withNodes.join(', ')})`);

const total = (rss: Record<string, number>) => Object.values(rss).reduce((sum, value) => sum + value, 0);
const settle = () => new Promise((resolve) => setTimeout(resolve, 10_000));
const bare = await startControlPlane();
try {
  await settle();
  const rss = await rssByBinary(bare.dataDir);
  console.log(`plain control plane, idle RSS MiB: ${Object.entries(rss).map(([name, mib]) => `${name} ${mib.toFixed(0)}`).join(', ')}; total ${total(rss).toFixed(0)}`);
} finally {
  await bare.stop();
}

const plane = await startControlPlane({ nodes: 2 });
try {
  // Let the controllers settle (their first syncs) before reading memory.
  await settle();
  const idle = await rssByBinary(plane.dataDir);
  const env = { ...process.env, KUBECONFIG: plane.admin.kubeconfig };
  await kubectl('kubectl', ['create', 'deployment', 'web', '--image=registry.k8s.io/pause:3.10', '--replicas=20'], { env });
  await kubectl('kubectl', ['rollout', 'status', 'deployment/web', '--timeout=120s'], { env });
  await settle();
  const busy = await rssByBinary(plane.dataDir);
  console.log('RSS MiB   idle   20 pods running');
  for (const name of Object.keys(idle).sort()) console.log(`${name.padEnd(24)} ${idle[name]?.toFixed(0).padStart(5)} ${busy[name]?.toFixed(0).padStart(8)}`);
  console.log(`${'total'.padEnd(24)} ${total(idle).toFixed(0).padStart(5)} ${total(busy).toFixed(0).padStart(8)}`);
} finally {
  await plane.stop();
}

/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
 * and inclusive time of chosen functions.
 *
 *   node src/profile-summary.ts <file.cpuprofile> [top=30] [function names for inclusive time…]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
  /** Operations (requests, lists) done while profiling, when profile.ts wrote the file. */
  kgoOps?: number;
}

const [file, topArg, ...inclusiveNames] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [function…]');
const top = Number(topArg ?? '30');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

function shortUrl(url: string): string {
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
  if (pnpm) return `${pnpm[1]}/${pnpm[2]}`;
  const workspace = url.match(/\/packages\/([^/]+)\/(.*)$/);
  if (workspace) return `@kgo/${workspace[1]}/${workspace[2]}`;
  return url.replace(/^file:\/\//, '') || '(native)';
}

function packageOf(url: string): string {
  if (url.startsWith('node:internal/deps/')) return `node (bundled ${url.split('/')[3]})`;
  if (url.startsWith('node:')) return `node ${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  if (url.startsWith('wasm:')) return 'wasm';
  const short = shortUrl(url);
  if (short === '(native)') return '(native)';
  const match = short.match(/^(@[^/]+\/[^/]+|[^/]+)\/(.*)$/);
  if (!match) return short;
  const [, pkg, rest] = match as unknown as [string, string, string];
  // undici's layers: lib/web/fetch (fetch), lib/dispatcher (h1/h2 clients, pools), lib/core, …
  const dirs = rest.split('/').slice(0, -1);
  return dirs.length > 0 ? `${pkg}/${dirs.slice(0, 2).join('/')}` : pkg;
}

const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id) as ProfileNode;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  const area = url ? packageOf(url) : `(native) ${functionName}`;
  packages.set(area, (packages.get(area) ?? 0) + us);
}

const idleUs = [...selfUs].reduce((sum, [id, us]) => ((byId.get(id) as ProfileNode).callFrame.functionName === '(idle)' ? sum + us : sum), 0);
const busyUs = totalUs - idleUs;
const ops = profile.kgoOps;
// Share of the busy (non-idle) time, and per operation when the count is known.
const pct = (us: number) =>
  `${((us / busyUs) * 100).toFixed(1).padStart(5)}%${ops ? `  ${(us / ops).toFixed(us / ops < 10 ? 1 : 0).padStart(6)} µs/op` : ''}`;
console.log(
  `profile: ${(totalUs / 1e6).toFixed(2)} s, busy ${(busyUs / 1e6).toFixed(2)} s${ops ? `, ${ops} operations, ${(busyUs / ops).toFixed(0)} µs busy per operation` : ''}`,
);
console.log('(percentages are of the busy time: idle excluded)');
console.log('\nself time by area (package and folder; native frames such as GC, idle, JSON.parse by name):');
for (const [name, us] of [...packages].sort((a, b) => b[1] - a[1]).filter(([name]) => name !== '(native) (idle)').slice(0, 25)) {
  console.log(`${pct(us)}  ${name}`);
}
console.log(`\nself time by function (top ${top}):`);
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).filter(([name]) => !name.startsWith('(idle)')).slice(0, top)) {
  console.log(`${pct(us)}  ${name}`);
}

if (inclusiveNames.length > 0) {
  console.log('\ninclusive time (samples with the function anywhere on the stack):');
  for (const wanted of inclusiveNames) {
    let us = 0;
    profile.samples.forEach((id, i) => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if ((byId.get(at) as ProfileNode).callFrame.functionName === wanted) {
          us += profile.timeDeltas[i] ?? 0;
          break;
        }
      }
    });
    console.log(`${pct(us)}  ${wanted}`);
  }
}

/**
 * What kgo weighs in an application: bundle size, import time and idle memory.
 *
 *   node --conditions=@kgo/source src/weight.ts [name=/path/to/rest/src/index.ts …]
 *
 * For this workspace's @kgo/rest (and any other copies named on the command line, e.g. transport
 * candidates or the sources at a branch point), esbuild bundles (`--bundle --minify
 * --platform=node --format=esm`, as issue #7 measured) of:
 *
 * - a "list pods" app on @kgo/kubeconfig + @kgo/rest: its size and each package's share;
 * - an "import only" entry that imports the same two packages and does nothing: run
 *   KGO_BENCH_IMPORT_RUNS times (default 15), interleaved with an empty script and with a bundle
 *   that imports npm undici only (the raw client's code): the median wall time over the empty
 *   script is the import time, and the RSS printed at the end of the module body is the idle RSS
 *   (before the first request);
 * - with a cluster (KGO_TEST_CLUSTER / KGO_TEST_KUBECONFIG, or a fresh envtest control plane):
 *   the RSS after one LIST of pods, and the same for raw undici, KGO_BENCH_IMPORT_RUNS / 3 runs.
 *
 * Each child is `node <bundle>` without flags. The figures go to stdout as markdown tables.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { openCluster } from './cluster.ts';
import { runMain } from './main.ts';
import { median } from './stats.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const KUBECONFIG_SRC = join(REPO, 'packages/kubeconfig/src/index.ts');
const MIB = 1024 * 1024;

// esbuild turns `require('node:…')` in bundled CommonJS (undici) into a call that needs a
// `require` in scope; an ES module has none, so every bundle gets one (the usual banner).
const BANNER = "import { createRequire as __kgoCreateRequire } from 'node:module'; const require = __kgoCreateRequire(import.meta.url);";

// RSS and the process's CPU time so far (start-up + import), at the end of the module body.
const PRINT_RSS = 'const __kgoCpu = process.cpuUsage(); console.log(JSON.stringify({ rss: process.memoryUsage().rss, cpuMs: (__kgoCpu.user + __kgoCpu.system) / 1000 }));';

const ENTRIES = {
  /** Imports kgo and does nothing (kept alive so nothing is tree-shaken away). */
  importOnly: `import { RestClient } from '@kgo/rest'; import { loadConfig } from '@kgo/kubeconfig'; globalThis.kgo = [RestClient, loadConfig]; ${PRINT_RSS}`,
  /** The raw client's code: npm undici only. */
  undiciOnly: `import { Agent, request } from 'undici'; globalThis.raw = [Agent, request]; ${PRINT_RSS}`,
  /** Lists pods with the kubeconfig in $KUBECONFIG; prints the RSS before and after. */
  listPods: `import { RestClient } from '@kgo/rest'; import { loadConfig } from '@kgo/kubeconfig';
const idle = process.memoryUsage().rss;
const { config } = await loadConfig();
const core = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
const pods = await core.get().resource('pods').do().into();
const after = process.memoryUsage().rss;
await core.close();
console.log(JSON.stringify({ idle, rss: after, items: pods.items.length }));`,
  /** The same LIST with raw undici, connection details from $KGO_BENCH_CONNECTION (JSON). */
  rawListPods: `import { Agent, request } from 'undici'; import { readFileSync } from 'node:fs';
const idle = process.memoryUsage().rss;
const c = JSON.parse(readFileSync(process.env.KGO_BENCH_CONNECTION, 'utf8'));
const dispatcher = new Agent({ connect: { ca: c.caCert, cert: c.cert, key: c.key } });
const { body } = await request(c.server + '/api/v1/pods', { dispatcher, headers: { accept: 'application/json' } });
const pods = JSON.parse(await body.text());
const after = process.memoryUsage().rss;
await dispatcher.close();
console.log(JSON.stringify({ idle, rss: after, items: pods.items.length }));`,
};

interface Bundle {
  file: string;
  bytes: number;
  /** Bytes in the output per package (undici, ky, @kgo/rest, …). */
  packages: Map<string, number>;
}

/**
 * `bundled`: everything in one file (what issue #7 measured). `external`: kgo's code bundled, its
 * npm dependencies (undici, ky, yaml) loaded from node_modules, as an app that does not bundle
 * loads them.
 */
type Mode = 'bundled' | 'external';
const EXTERNAL = ['undici', 'undici/*', 'ky', 'yaml'];

async function bundle(dir: string, name: string, source: string, restIndex: string | undefined, mode: Mode): Promise<Bundle> {
  const entry = join(dir, `${name}.entry.mjs`);
  await writeFile(entry, source);
  const file = join(dir, 'bundles', mode, `${name}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    absWorkingDir: REPO,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    banner: { js: BANNER },
    conditions: ['@kgo/source'],
    // Resolve the workspace packages from here (this package does not depend on them all).
    nodePaths: [join(REPO, 'packages/benchmarks/node_modules'), join(REPO, 'packages/rest/node_modules')],
    alias: { '@kgo/kubeconfig': KUBECONFIG_SRC, ...(restIndex ? { '@kgo/rest': restIndex } : {}) },
    ...(mode === 'external' ? { external: EXTERNAL } : {}),
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs)[0] as Metafile['outputs'][string];
  const packages = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = packageOf(input);
    packages.set(key, (packages.get(key) ?? 0) + bytesInOutput);
  }
  return { file, bytes: output.bytes, packages };
}

function packageOf(input: string): string {
  const inModules = input.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//);
  if (inModules) return inModules[1] as string;
  // This workspace's packages, or copies of one elsewhere (…/packages/rest/src/…).
  const workspace = input.match(/packages\/([^/]+)\/src\//);
  if (workspace) return `@kgo/${workspace[1]}`;
  return 'app';
}

interface Run {
  /** Wall time of the whole process, as the parent saw it. */
  ms: number;
  /** The child's CPU time up to the end of its module body (steadier than wall time on a busy machine). */
  cpuMs: number;
  rss: number;
  idle?: number;
}

function runNode(file: string, env: NodeJS.ProcessEnv = {}): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${file} exited with ${child.status}: ${child.stderr.slice(-1500)}`);
  const lines = child.stdout.trim().split('\n');
  const parsed = JSON.parse(lines[lines.length - 1] || '{}') as { rss?: number; idle?: number; cpuMs?: number };
  return { ms, cpuMs: parsed.cpuMs ?? Number.NaN, rss: parsed.rss ?? Number.NaN, ...(parsed.idle !== undefined ? { idle: parsed.idle } : {}) };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);

async function main(): Promise<void> {
  const runs = Number(process.env.KGO_BENCH_IMPORT_RUNS ?? '15');
  const candidates: [string, string | undefined][] = [['this workspace', undefined]];
  for (const argument of process.argv.slice(2)) {
    const [name, path] = argument.split('=') as [string, string];
    candidates.push([name, path]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'kgo-weight-'));
  try {
    // @kgo/rest reads its version from '../../package.json' next to its module (issue #7 item 10:
    // it fails bundled); bundles two folders down find this one.
    await writeFile(join(dir, 'package.json'), '{ "version": "0.0.0-weight" }\n');
    const empty = join(dir, 'empty.mjs');
    await writeFile(empty, PRINT_RSS);
    // For the `external` bundles: node_modules with kgo's npm dependencies, where Node looks first.
    await mkdir(join(dir, 'node_modules'));
    for (const [pkg, from] of [['undici', 'rest'], ['ky', 'rest'], ['yaml', 'kubeconfig']]) {
      await symlink(await realpath(join(REPO, 'packages', from as string, 'node_modules', pkg as string)), join(dir, 'node_modules', pkg as string));
    }
    const built = [];
    for (const mode of ['bundled', 'external'] as const) {
      const kgo = [];
      for (const [index, [name, path]] of candidates.entries()) {
        kgo.push({
          name,
          app: await bundle(dir, `list-pods-${index}`, ENTRIES.listPods, path, mode),
          importOnly: await bundle(dir, `import-only-${index}`, ENTRIES.importOnly, path, mode),
        });
      }
      built.push({
        mode,
        undiciOnly: await bundle(dir, 'undici-only', ENTRIES.undiciOnly, undefined, mode),
        rawList: await bundle(dir, 'raw-list-pods', ENTRIES.rawListPods, undefined, mode),
        kgo,
      });
    }
    const bundled = built[0] as (typeof built)[number];

    console.log(`esbuild --bundle --minify --platform=node --format=esm of a "list pods" app (@kgo/kubeconfig + @kgo/rest):\n`);
    const shown = ['undici', 'ky', '@kgo/rest', '@kgo/kubeconfig', 'yaml'];
    console.log(`| @kgo/rest | bundle | ${shown.join(' | ')} | other |`);
    console.log(`| --- | ---: | ${shown.map(() => '---:').join(' | ')} | ---: |`);
    for (const { name, app } of bundled.kgo) {
      const listed = shown.reduce((sum, pkg) => sum + (app.packages.get(pkg) ?? 0), 0);
      console.log(`| ${name} | ${kb(app.bytes)} | ${shown.map((pkg) => kb(app.packages.get(pkg) ?? 0)).join(' | ')} | ${kb(app.bytes - listed)} |`);
    }
    console.log(`\n(npm undici alone, bundled the same way: ${kb(bundled.undiciOnly.bytes)})\n`);

    // Import time and idle RSS: every program once per round, rounds interleaved.
    const programs: [string, string][] = [['empty script', empty]];
    for (const { mode, undiciOnly, kgo } of built) {
      programs.push([`${mode}: npm undici only (the raw client)`, undiciOnly.file]);
      for (const { name, importOnly } of kgo) programs.push([`${mode}: kgo (${name})`, importOnly.file]);
    }
    const samples = new Map<string, Run[]>(programs.map(([name]) => [name, []]));
    for (let round = 0; round < runs; round++) {
      for (const [name, file] of programs) samples.get(name)?.push(runNode(file));
    }
    const emptyRuns = samples.get('empty script') ?? [];
    const emptyMs = median(emptyRuns.map((run) => run.ms));
    const emptyCpu = median(emptyRuns.map((run) => run.cpuMs));
    console.log(
      `Import, ${runs} runs each, interleaved, over an empty Node script (${emptyMs.toFixed(0)} ms wall, ${emptyCpu.toFixed(0)} ms CPU, ` +
        `${mib(median(emptyRuns.map((run) => run.rss)))} MiB): wall time of the process; CPU time and RSS at the end of the module body; ` +
        'medians (min–max). "bundled": one file; "external": npm dependencies loaded from node_modules.\n',
    );
    console.log('| Program | import, wall ms | import, CPU ms | idle RSS MiB | RSS over npm undici only |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    const spread = (values: number[]) => `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
    for (const { mode } of built) {
      const undiciRss = median((samples.get(`${mode}: npm undici only (the raw client)`) ?? []).map((run) => run.rss));
      for (const [name] of programs.filter(([program]) => program.startsWith(`${mode}:`))) {
        const list = samples.get(name) ?? [];
        const rss = median(list.map((run) => run.rss));
        const over = rss - undiciRss;
        console.log(
          `| ${name} | ${spread(list.map((run) => run.ms - emptyMs))} | ${spread(list.map((run) => run.cpuMs - emptyCpu))} | ${mib(rss)} | ${over >= 0 ? '+' : ''}${mib(over)} |`,
        );
      }
    }

    if (process.env.KGO_BENCH_WEIGHT_CLUSTER !== 'off') {
      const cluster = await openCluster((line) => console.error(line));
      try {
        const { connection } = cluster;
        const connectionFile = join(dir, 'connection.json');
        await writeFile(connectionFile, JSON.stringify(connection), { mode: 0o600 });
        const kubeconfigFile = join(dir, 'kubeconfig.yaml');
        await writeFile(kubeconfigFile, kubeconfigFor(connection), { mode: 0o600 });
        const listRuns = Math.max(3, Math.round(runs / 3));
        const listPrograms: [string, string][] = [];
        for (const { mode, rawList, kgo } of built) {
          listPrograms.push([`${mode}: raw undici`, rawList.file]);
          for (const { name, app } of kgo) listPrograms.push([`${mode}: kgo (${name})`, app.file]);
        }
        const listSamples = new Map<string, Run[]>(listPrograms.map(([name]) => [name, []]));
        for (let round = 0; round < listRuns; round++) {
          for (const [name, file] of listPrograms) listSamples.get(name)?.push(runNode(file, { KUBECONFIG: kubeconfigFile, KGO_BENCH_CONNECTION: connectionFile }));
        }
        console.log(`\nRSS of the bundled "list pods" app before its first request and after one LIST of pods (median of ${listRuns} runs, MiB):\n`);
        console.log('| Program | before the first request | after one LIST | start to exit (ms) |');
        console.log('| --- | ---: | ---: | ---: |');
        for (const [name] of listPrograms) {
          const list = listSamples.get(name) ?? [];
          console.log(`| ${name} | ${mib(median(list.map((run) => run.idle ?? Number.NaN)))} | ${mib(median(list.map((run) => run.rss)))} | ${median(list.map((run) => run.ms)).toFixed(0)} |`);
        }
      } finally {
        await cluster.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function kubeconfigFor(connection: { server: string; caCert: string; cert: string; key: string }): string {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: bench, cluster: { server: "' + connection.server + '", certificate-authority-data: ' + b64(connection.caCert) + ' } }]',
    'users: [{ name: bench, user: { client-certificate-data: ' + b64(connection.cert) + ', client-key-data: ' + b64(connection.key) + ' } }]',
    'contexts: [{ name: bench, context: { cluster: bench, user: bench } }]',
    'current-context: bench',
    '',
  ].join('\n');
}

runMain(main);

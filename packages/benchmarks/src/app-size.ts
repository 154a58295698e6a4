/**
 * The "list pods in kube-system" app with kgo (kubeconfig + typed core/v1) against the same app
 * with @kubernetes/client-node 2.0.1: installed size of the production closure, esbuild bundle
 * size, cold import time over an empty Node script, and peak RSS. See ../README.md.
 *
 *   pnpm --filter @kgo/benchmarks bench:app-size            # 11 runs per variant
 *   pnpm --filter @kgo/benchmarks bench:app-size --quick    # 5 runs
 *
 * Prints a markdown table on stdout (progress on stderr) and writes results/app-size-<date>.json.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKubeconfig } from '@kgo/envtest';
import { RestClient } from '@kgo/rest';
import { type BundleSize, bundleApp } from './app-size/bundle.ts';
import { type ClosureSize, installClosure, measureClosure, packWorkspacePackage, runCommand } from './app-size/closure.ts';
import { type NodeRun, runNode } from './app-size/node-process.ts';
import { type BenchConnection, openCluster } from './cluster.ts';
import { median } from './stats.ts';

const quick = process.argv.includes('--quick') || process.env.KGO_BENCH_QUICK === '1';
const runs = Number(process.env.KGO_BENCH_RUNS ?? (quick ? 5 : 11));
const CLIENT_NODE_VERSION = '2.0.1';
/** The kgo packages the app installs: the two it imports and their peer, @kgo/rest. */
const KGO_PACKAGES = ['rest', 'kubeconfig', 'typed'] as const;
const MB = 1_000_000;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('./app-size/', import.meta.url));
const log = (line: string) => console.error(line);

type App = 'kgo' | 'client-node';
const APPS: App[] = ['kgo', 'client-node'];

/** One measured way of starting a process. */
interface Variant {
  name: string;
  app: App | 'empty';
  form: 'installed' | 'bundled' | 'none';
  /** `import`: load the modules and stop; `run`: list the pods. */
  mode: 'import' | 'run';
  script: string;
  cwd: string;
  env: Record<string, string>;
}

/** kgo's app's dependencies, each imported alone from its installed closure: where the import time goes. */
const KGO_DEPENDENCIES = ['ky', 'yaml', '@kgo/rest'];

/** Runs of one variant, summarized. */
interface VariantResult {
  name: string;
  app: Variant['app'];
  form: Variant['form'];
  mode: Variant['mode'];
  wallMs: number[];
  cpuMs: number[];
  peakRssMiB: number[];
  medianWallMs: number;
  medianCpuMs: number;
  medianPeakRssMiB: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'kgo-app-size-')));
  if (!relative(repoRoot, scratch).startsWith('..')) throw new Error(`${scratch} is inside the workspace, where Node would resolve its node_modules: point TMPDIR elsewhere`);
  const cluster = await openCluster(log);
  try {
    log('building @kgo/rest, @kgo/kubeconfig, @kgo/typed (turbo; cached when unchanged)…');
    await runCommand('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...KGO_PACKAGES.map((name) => `--filter=@kgo/${name}`)], repoRoot);

    const projects = { kgo: join(scratch, 'kgo'), 'client-node': join(scratch, 'client-node') };
    const packs = join(scratch, 'packs');
    for (const dir of [...Object.values(projects), packs]) mkdirSync(dir);
    const tarballs = await Promise.all(KGO_PACKAGES.map((name) => packWorkspacePackage(join(repoRoot, 'packages', name), packs)));
    log(`npm install --omit=dev ${tarballs.map((file) => basename(file)).join(' ')}…`);
    await installClosure(projects.kgo, tarballs);
    log(`npm install --omit=dev @kubernetes/client-node@${CLIENT_NODE_VERSION}…`);
    await installClosure(projects['client-node'], [`@kubernetes/client-node@${CLIENT_NODE_VERSION}`]);
    const closures = { kgo: measureClosure(projects.kgo), 'client-node': measureClosure(projects['client-node']) };

    const entries = {} as Record<App, string>;
    const bundles = {} as Record<App, BundleSize>;
    const alone = {} as Record<App, string>;
    for (const app of APPS) {
      entries[app] = join(projects[app], 'app.mjs');
      copyFileSync(join(here, `list-pods-${app}.mjs`), entries[app]);
      bundles[app] = await bundleApp(entries[app], join(scratch, 'bundles', `${app}.mjs`));
      // The bundle alone in an empty folder: no node_modules or package.json to fall back on.
      const dir = join(scratch, `alone-${app}`);
      mkdirSync(dir);
      alone[app] = join(dir, 'app.mjs');
      copyFileSync(bundles[app].outfile, alone[app]);
    }
    copyFileSync(join(here, 'empty.mjs'), join(scratch, 'empty.mjs'));
    copyFileSync(join(here, 'import-one.mjs'), join(projects.kgo, 'import-one.mjs'));

    const pod = await createPod(cluster.connection);
    const kubeconfig = await writeKubeconfig(
      join(scratch, 'kubeconfig.json'),
      { name: 'bench', server: cluster.connection.server, caCert: cluster.connection.caCert },
      { name: 'bench-admin', clientCert: cluster.connection.cert, clientKey: cluster.connection.key },
    );
    try {
      const variants: Variant[] = [{ name: 'empty', app: 'empty', form: 'none', mode: 'import', script: 'empty.mjs', cwd: scratch, env: {} }];
      for (const mode of ['import', 'run'] as const) {
        const env: Record<string, string> = mode === 'import' ? { KGO_APP_IMPORT_ONLY: '1' } : { KUBECONFIG: kubeconfig };
        for (const app of APPS) {
          variants.push({ name: `${app} installed ${mode}`, app, form: 'installed', mode, script: 'app.mjs', cwd: projects[app], env });
          variants.push({ name: `${app} bundled ${mode}`, app, form: 'bundled', mode, script: 'app.mjs', cwd: join(scratch, `alone-${app}`), env });
        }
      }
      for (const dependency of KGO_DEPENDENCIES) {
        variants.push({ name: `kgo: ${dependency} alone`, app: 'kgo', form: 'installed', mode: 'import', script: 'import-one.mjs', cwd: projects.kgo, env: { KGO_IMPORT: dependency } });
      }
      // Each app must really list the pod, installed and bundled, before anything is timed (this also warms the file cache).
      for (const variant of variants) {
        const run = await runNode(variant.script, variant.cwd, variant.env);
        if (variant.mode === 'run' && !run.stdout.includes(`pod ${pod.name} ${pod.uid}\n`)) {
          throw new Error(`${variant.name} did not list the pod ${pod.name}; it printed:\n${run.stdout}`);
        }
      }
      log(`every app listed pod ${pod.name}, installed and bundled; ${runs} runs of ${variants.length} variants, interleaved…`);
      const samples = new Map<string, NodeRun[]>(variants.map((variant) => [variant.name, []]));
      for (let round = 0; round < runs; round++) {
        // Rotate the order each round, so no variant always follows the same other one.
        for (let i = 0; i < variants.length; i++) {
          const variant = variants[(i + round) % variants.length] as Variant;
          samples.get(variant.name)?.push(await runNode(variant.script, variant.cwd, variant.env));
        }
        log(`round ${round + 1}/${runs} done (load ${loadavg()[0]?.toFixed(1)})`);
      }
      const results: VariantResult[] = variants.map((variant) => {
        const runsOf = samples.get(variant.name) ?? [];
        const wallMs = runsOf.map((run) => round1(run.wallMs));
        const cpuMs = runsOf.map((run) => round1(run.cpuMs));
        const peakRssMiB = runsOf.map((run) => round1(run.peakRssKiB / 1024));
        return {
          name: variant.name,
          app: variant.app,
          form: variant.form,
          mode: variant.mode,
          wallMs,
          cpuMs,
          peakRssMiB,
          medianWallMs: median(wallMs),
          medianCpuMs: median(cpuMs),
          medianPeakRssMiB: median(peakRssMiB),
        };
      });

      const report = {
        date: new Date().toISOString(),
        quick,
        runs,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: { before: loadBefore, after: loadavg() } },
        kubernetes: cluster.connection.gitVersion ?? 'unknown',
        versions: {
          ...Object.fromEntries(KGO_PACKAGES.map((name) => [`@kgo/${name}`, installedVersion(projects.kgo, `@kgo/${name}`)])),
          '@kubernetes/client-node': installedVersion(projects['client-node'], '@kubernetes/client-node'),
          esbuild: installedVersion(join(repoRoot, 'packages', 'benchmarks'), 'esbuild'),
        },
        closures,
        bundles: Object.fromEntries(APPS.map((app) => [app, { ...bundles[app], outfile: basename(bundles[app].outfile) }])),
        variants: results,
        summary: summarize(closures, bundles, results),
        totalSeconds: Math.round((performance.now() - started) / 1000),
      };
      const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
      mkdirSync(resultsDir, { recursive: true });
      const file = join(resultsDir, `app-size-${report.date.slice(0, 10)}${quick ? '-quick' : ''}.json`);
      await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(formatAppSize(report.summary, results));
      log(`\nwrote ${file} (${report.totalSeconds} s in all)`);
    } finally {
      await deletePod(cluster.connection, pod.name);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await cluster.stop();
  }
}

/** The headline figures, kgo against client-node, with the goals of issue #10. */
interface AppSizeSummary {
  installMB: Record<App, number>;
  installDiskMB: Record<App, number>;
  installPackages: Record<App, number>;
  bundleKB: Record<App, number>;
  bundleGzipKB: Record<App, number>;
  /** Median wall time of the import-only app minus the empty script's, ms. */
  importOverEmptyMs: Record<App, { installed: number; bundled: number }>;
  /** The same in CPU time (user + system of the process), ms: steadier on a busy machine. */
  importOverEmptyCpuMs: Record<App, { installed: number; bundled: number }>;
  /** Median peak RSS of the import-only process and of the full run (installed form), MiB. */
  peakRssMiB: Record<App, { empty: number; imported: number; run: number; bundledRun: number }>;
  goals: { installAtMost8MB: boolean; bundle5xSmaller: boolean; import5xShorter: boolean };
}

function summarize(closures: Record<App, ClosureSize>, bundles: Record<App, BundleSize>, results: VariantResult[]): AppSizeSummary {
  const wall = (name: string) => results.find((result) => result.name === name)?.medianWallMs ?? Number.NaN;
  const cpu = (name: string) => results.find((result) => result.name === name)?.medianCpuMs ?? Number.NaN;
  const rss = (name: string) => results.find((result) => result.name === name)?.medianPeakRssMiB ?? Number.NaN;
  const perApp = <T>(f: (app: App) => T) => ({ kgo: f('kgo'), 'client-node': f('client-node') });
  const importOverEmptyMs = perApp((app) => ({
    installed: round1(wall(`${app} installed import`) - wall('empty')),
    bundled: round1(wall(`${app} bundled import`) - wall('empty')),
  }));
  const importOverEmptyCpuMs = perApp((app) => ({
    installed: round1(cpu(`${app} installed import`) - cpu('empty')),
    bundled: round1(cpu(`${app} bundled import`) - cpu('empty')),
  }));
  const summary: AppSizeSummary = {
    installMB: perApp((app) => round2(closures[app].apparentBytes / MB)),
    installDiskMB: perApp((app) => round2(closures[app].diskBytes / MB)),
    installPackages: perApp((app) => closures[app].packages.length),
    bundleKB: perApp((app) => round1(bundles[app].bytes / 1000)),
    bundleGzipKB: perApp((app) => round1(bundles[app].gzipBytes / 1000)),
    importOverEmptyMs,
    importOverEmptyCpuMs,
    peakRssMiB: perApp((app) => ({
      empty: rss('empty'),
      imported: rss(`${app} installed import`),
      run: rss(`${app} installed run`),
      bundledRun: rss(`${app} bundled run`),
    })),
    goals: {
      installAtMost8MB: closures.kgo.apparentBytes <= 8 * MB && closures.kgo.diskBytes <= 8 * MB,
      bundle5xSmaller: bundles['client-node'].bytes >= 5 * bundles.kgo.bytes,
      import5xShorter: importOverEmptyMs['client-node'].installed >= 5 * importOverEmptyMs.kgo.installed,
    },
  };
  return summary;
}

function formatAppSize(s: AppSizeSummary, results: VariantResult[]): string {
  const ratio = (kgo: number, other: number) => `${(other / kgo).toFixed(1)}×`;
  const mark = (ok: boolean) => (ok ? '✅' : '❌');
  const lines = [
    '| "list pods in kube-system" app | kgo | client-node | client-node / kgo | goal |',
    '| --- | ---: | ---: | ---: | --- |',
    `| installed closure, \`npm install --omit=dev\` (MB, file sizes) | ${s.installMB.kgo} | ${s.installMB['client-node']} | ${ratio(s.installMB.kgo, s.installMB['client-node'])} | ≤ 8 MB ${mark(s.goals.installAtMost8MB)} |`,
    `| installed closure on disk (MB, allocated blocks) | ${s.installDiskMB.kgo} | ${s.installDiskMB['client-node']} | ${ratio(s.installDiskMB.kgo, s.installDiskMB['client-node'])} | |`,
    `| packages in the closure | ${s.installPackages.kgo} | ${s.installPackages['client-node']} | ${ratio(s.installPackages.kgo, s.installPackages['client-node'])} | |`,
    `| esbuild bundle, minified (kB) | ${s.bundleKB.kgo} | ${s.bundleKB['client-node']} | ${ratio(s.bundleKB.kgo, s.bundleKB['client-node'])} | ≥ 5× smaller ${mark(s.goals.bundle5xSmaller)} |`,
    `| esbuild bundle, gzip -9 (kB) | ${s.bundleGzipKB.kgo} | ${s.bundleGzipKB['client-node']} | ${ratio(s.bundleGzipKB.kgo, s.bundleGzipKB['client-node'])} | |`,
    `| import time over an empty script, installed (ms, median) | ${s.importOverEmptyMs.kgo.installed} | ${s.importOverEmptyMs['client-node'].installed} | ${ratio(s.importOverEmptyMs.kgo.installed, s.importOverEmptyMs['client-node'].installed)} | ≥ 5× shorter ${mark(s.goals.import5xShorter)} |`,
    `| import time over an empty script, bundled (ms, median) | ${s.importOverEmptyMs.kgo.bundled} | ${s.importOverEmptyMs['client-node'].bundled} | ${ratio(s.importOverEmptyMs.kgo.bundled, s.importOverEmptyMs['client-node'].bundled)} | |`,
    `| import CPU time over an empty script, installed (ms, median) | ${s.importOverEmptyCpuMs.kgo.installed} | ${s.importOverEmptyCpuMs['client-node'].installed} | ${ratio(s.importOverEmptyCpuMs.kgo.installed, s.importOverEmptyCpuMs['client-node'].installed)} | |`,
    `| import CPU time over an empty script, bundled (ms, median) | ${s.importOverEmptyCpuMs.kgo.bundled} | ${s.importOverEmptyCpuMs['client-node'].bundled} | ${ratio(s.importOverEmptyCpuMs.kgo.bundled, s.importOverEmptyCpuMs['client-node'].bundled)} | |`,
    `| peak RSS after the imports (MiB, VmHWM; empty script: ${s.peakRssMiB.kgo.empty}) | ${s.peakRssMiB.kgo.imported} | ${s.peakRssMiB['client-node'].imported} | ${ratio(s.peakRssMiB.kgo.imported, s.peakRssMiB['client-node'].imported)} | |`,
    `| peak RSS listing the pods, installed (MiB, VmHWM) | ${s.peakRssMiB.kgo.run} | ${s.peakRssMiB['client-node'].run} | ${ratio(s.peakRssMiB.kgo.run, s.peakRssMiB['client-node'].run)} | |`,
    `| peak RSS listing the pods, bundled (MiB, VmHWM) | ${s.peakRssMiB.kgo.bundledRun} | ${s.peakRssMiB['client-node'].bundledRun} | ${ratio(s.peakRssMiB.kgo.bundledRun, s.peakRssMiB['client-node'].bundledRun)} | |`,
    '',
    '| process | wall time, median (min–max), ms | CPU time, median (min–max), ms | peak RSS, median (min–max), MiB |',
    '| --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${spread(r.medianWallMs, r.wallMs)} | ${spread(r.medianCpuMs, r.cpuMs)} | ${spread(r.medianPeakRssMiB, r.peakRssMiB)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

const spread = (middle: number, values: number[]) => `${middle} (${Math.min(...values)}–${Math.max(...values)})`;
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

function installedVersion(project: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function adminCore(connection: BenchConnection): RestClient {
  return new RestClient(
    { host: connection.server, tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key }, qps: -1 },
    { groupVersion: { group: '', version: 'v1' } },
  );
}

/** envtest runs no scheduler or kubelet, so kube-system starts empty: give the apps a pod to find. */
async function createPod(connection: BenchConnection): Promise<{ name: string; uid: string }> {
  const core = adminCore(connection);
  try {
    const name = `kgo-app-size-${Date.now().toString(36)}`;
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] } };
    const created = (await core.post().namespace('kube-system').resource('pods').body(body).do()).into<{ metadata: { uid: string } }>();
    return { name, uid: created.metadata.uid };
  } finally {
    await core.close();
  }
}

async function deletePod(connection: BenchConnection, name: string): Promise<void> {
  const core = adminCore(connection);
  try {
    await core.delete().namespace('kube-system').resource('pods').name(name).do();
  } finally {
    await core.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

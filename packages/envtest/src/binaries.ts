import { access, constants, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvtestError } from './errors.ts';
import { KWOK_CRD_FILES } from './kwok-config.ts';
import { prepareKwokSource } from './kwok-patches.ts';
import { run } from './run.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

/** Paths of the binaries envtest runs. */
export interface ControlPlaneBinaries {
  /** Absolute path of `kube-apiserver`. */
  kubeApiserver: string;
  /** Absolute path of `etcd`. */
  etcd: string;
  /** Where they came from: `KUBEBUILDER_ASSETS`, the cache, or a fresh build into the cache. */
  source: 'assets' | 'cache' | 'built';
  /** The binaries of a cluster with nodes; present when they were asked for (`nodes: true`). */
  nodes?: NodeBinaries | undefined;
}

/** What a cluster with nodes runs besides etcd and kube-apiserver. */
export interface NodeBinaries {
  /** Absolute path of `kube-controller-manager`. */
  kubeControllerManager: string;
  /** Absolute path of `kube-scheduler`. */
  kubeScheduler: string;
  /** Absolute path of `kwok`, which simulates the nodes. */
  kwok: string;
  /** kwok's default node and pod stages (multi-document YAML), copied from the kwok module it was built from. */
  kwokStages: string;
  /** Folder of kwok's CustomResourceDefinitions (one YAML file each), from the same module. */
  kwokCrds: string;
  /** Where kube-controller-manager and kube-scheduler came from (kwok always comes from the cache). */
  source: 'assets' | 'cache' | 'built';
}

/** Options of {@link resolveBinaries}. */
export interface ResolveBinariesOptions {
  /** Folder laid out like `setup-envtest` output (`kube-apiserver`, `etcd`). Default: `$KUBEBUILDER_ASSETS`. */
  assetsDir?: string | undefined;
  /** Cache root. Default: `$KGO_ENVTEST_CACHE`, else `$XDG_CACHE_HOME/kgo/envtest`, else `~/.cache/kgo/envtest`. */
  cacheDir?: string | undefined;
  /** Build from the Go module proxy when neither assets nor cache have the binaries. Default: true. */
  build?: boolean | undefined;
  /**
   * Also find (or build) what a cluster with nodes needs: kube-controller-manager,
   * kube-scheduler and kwok. Default: false, so a plain control plane never builds them.
   */
  nodes?: boolean | undefined;
  /** Called with progress lines while building (a cold build takes minutes). */
  log?: ((line: string) => void) | undefined;
  /** The `go` command to build with. Default: `$GOROOT/bin/go`, `/usr/local/go/bin/go`, else `go` on PATH. */
  go?: string | undefined;
}

const goModulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'go');

/** The cache folder for one Kubernetes version: `<cache root>/<version>-etcd<version>/`. */
export function binaryCacheDir(cacheRoot = defaultCacheRoot()): string {
  return join(cacheRoot, `${KUBERNETES_VERSION}-etcd${ETCD_VERSION}`);
}

/** The cache folder for kwok, its stages and its CRDs: `<cache root>/kwok-<version>/`. */
export function kwokCacheDir(cacheRoot = defaultCacheRoot()): string {
  return join(cacheRoot, `kwok-${KWOK_VERSION}`);
}

function defaultCacheRoot(): string {
  const env = process.env;
  if (env.KGO_ENVTEST_CACHE) return env.KGO_ENVTEST_CACHE;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'kgo', 'envtest');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** One binary envtest can build: the Go module folder under `go/`, the package, where it goes. */
interface Build {
  name: string;
  version: string;
  module: string;
  pkg: string;
  target: string;
  kubernetesVersionFlags: boolean;
}

function controlPlaneBuilds(cacheDir: string): Build[] {
  const k8s = { version: `v${KUBERNETES_VERSION}`, module: 'kubernetes', kubernetesVersionFlags: true };
  return [
    { name: 'kube-apiserver', ...k8s, pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', target: join(cacheDir, 'kube-apiserver') },
    { name: 'etcd', version: `v${ETCD_VERSION}`, module: 'etcd', pkg: '.', target: join(cacheDir, 'etcd'), kubernetesVersionFlags: false },
  ];
}

function kubernetesNodeBuilds(dir: string): Build[] {
  const k8s = { version: `v${KUBERNETES_VERSION}`, module: 'kubernetes', kubernetesVersionFlags: true };
  return [
    { name: 'kube-controller-manager', ...k8s, pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', target: join(dir, 'kube-controller-manager') },
    { name: 'kube-scheduler', ...k8s, pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', target: join(dir, 'kube-scheduler') },
  ];
}

function kwokBuild(kwokDir: string): Build {
  return {
    name: 'kwok',
    version: `v${KWOK_VERSION}`,
    module: 'kwok',
    pkg: 'sigs.k8s.io/kwok/cmd/kwok',
    target: join(kwokDir, 'kwok'),
    kubernetesVersionFlags: false,
  };
}

/** The stage files kwok's own kwokctl starts nodes with: fast node and pod lifecycles, heartbeats with leases. */
const KWOK_STAGE_FILES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

/**
 * Finds kube-apiserver and etcd (and, with `nodes`, kube-controller-manager, kube-scheduler and
 * kwok): `KUBEBUILDER_ASSETS` when set, else the cache, else builds them once from the Go module
 * proxy into the cache. kwok is never in setup-envtest's assets, so it always comes from the cache.
 */
export async function resolveBinaries(options: ResolveBinariesOptions = {}): Promise<ControlPlaneBinaries> {
  const assetsDir = options.assetsDir ?? process.env.KUBEBUILDER_ASSETS;
  const log = options.log ?? (() => {});
  const cacheDir = binaryCacheDir(options.cacheDir);
  const kwokDir = kwokCacheDir(options.cacheDir);

  let base: Pick<ControlPlaneBinaries, 'kubeApiserver' | 'etcd' | 'source'>;
  const missing: Build[] = [];
  if (assetsDir) {
    const binaries = { kubeApiserver: join(assetsDir, 'kube-apiserver'), etcd: join(assetsDir, 'etcd') };
    for (const path of Object.values(binaries)) {
      if (!(await isExecutable(path))) {
        throw new EnvtestError(
          `KUBEBUILDER_ASSETS is ${assetsDir}, but ${path} is missing or not executable. ` +
            'Point KUBEBUILDER_ASSETS at a folder holding kube-apiserver and etcd (as setup-envtest lays it out), or unset it to let kgo build them.',
        );
      }
    }
    base = { ...binaries, source: 'assets' };
  } else {
    const builds = controlPlaneBuilds(cacheDir);
    missing.push(...(await missingBuilds(builds)));
    base = { kubeApiserver: builds[0]!.target, etcd: builds[1]!.target, source: missing.length > 0 ? 'built' : 'cache' };
  }

  let nodeSource: NodeBinaries['source'] = 'cache';
  let kubernetesNodeDir = cacheDir;
  if (options.nodes) {
    if (assetsDir && (await missingBuilds(kubernetesNodeBuilds(assetsDir))).length === 0) {
      kubernetesNodeDir = assetsDir;
      nodeSource = 'assets';
    } else {
      const missingNode = await missingBuilds(kubernetesNodeBuilds(cacheDir));
      if (missingNode.length > 0) nodeSource = 'built';
      missing.push(...missingNode);
    }
    missing.push(...(await missingBuilds([kwokBuild(kwokDir)])));
  }

  if (missing.length > 0) {
    if (options.build === false) {
      const what = options.nodes ? missing.map((b) => b.name).join(', ') : 'control-plane binaries';
      throw new EnvtestError(
        `No ${what} in ${dirname(missing[0]!.target)}. Run \`kgo-envtest build${options.nodes ? ' --nodes' : ''}\` (needs Go), or set KUBEBUILDER_ASSETS.`,
      );
    }
    await withBuildLock(cacheDir, log, async () => {
      // Another process may have finished the build while this one waited for the lock.
      await buildAll(await missingBuilds(missing), log, options.go);
    });
  }

  if (!options.nodes) return base;
  const [kubeControllerManager, kubeScheduler] = kubernetesNodeBuilds(kubernetesNodeDir).map((b) => b.target) as [string, string];
  return {
    ...base,
    nodes: {
      kubeControllerManager,
      kubeScheduler,
      kwok: kwokBuild(kwokDir).target,
      kwokStages: join(kwokDir, 'stages.yaml'),
      kwokCrds: join(kwokDir, 'crds'),
      source: nodeSource,
    },
  };
}

/** The builds whose binary is not there (for kwok: or whose stages and CRDs are not beside it). */
async function missingBuilds(builds: Build[]): Promise<Build[]> {
  const missing: Build[] = [];
  for (const build of builds) {
    const complete = (await isExecutable(build.target)) && (build.name !== 'kwok' || (await kwokFilesPresent(dirname(build.target))));
    if (!complete) missing.push(build);
  }
  return missing;
}

async function kwokFilesPresent(kwokDir: string): Promise<boolean> {
  const crds = await readdir(join(kwokDir, 'crds')).catch(() => [] as string[]);
  const stages = await stat(join(kwokDir, 'stages.yaml')).then(() => true, () => false);
  return stages && KWOK_CRD_FILES.every((file) => crds.includes(file));
}

const STALE_LOCK_MS = 90 * 60_000;

/**
 * Runs `body` holding `<cacheDir>.lock` (a folder: mkdir is atomic), so test runs started in
 * parallel build the binaries once instead of once each. A lock older than a cold build is stale.
 */
async function withBuildLock(cacheDir: string, log: (line: string) => void, body: () => Promise<void>): Promise<void> {
  const lock = `${cacheDir}.lock`;
  await mkdir(dirname(lock), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > STALE_LOCK_MS) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`another process is building the binaries (${lock}); waiting for it`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  try {
    await body();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function findGo(explicit?: string): Promise<string> {
  const candidates = explicit ? [explicit] : [process.env.GOROOT && join(process.env.GOROOT, 'bin', 'go'), '/usr/local/go/bin/go'];
  if (!explicit) for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(join(dir, 'go'));
  for (const candidate of candidates) if (candidate && (await isExecutable(candidate))) return candidate;
  throw new EnvtestError(
    'Cannot start a control plane: KUBEBUILDER_ASSETS is not set, no binaries are cached, and Go is not installed to build them. ' +
      `Install Go >= 1.26 (it builds kube-apiserver ${KUBERNETES_VERSION} and etcd ${ETCD_VERSION} — and for clusters with nodes ` +
      `kube-controller-manager, kube-scheduler and kwok ${KWOK_VERSION} — from the Go module proxy once), ` +
      'or set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd.',
  );
}

/** Options of {@link buildBinaries}. */
export interface BuildBinariesOptions {
  /** Also build kube-controller-manager, kube-scheduler and kwok. Default: false. */
  nodes?: boolean | undefined;
  /** Cache root for kwok (`kwok-<version>/` beside `cacheDir`'s folder). Default: `cacheDir`'s parent. */
  cacheRoot?: string | undefined;
}

/**
 * Builds kube-apiserver and etcd (with `nodes`, also kube-controller-manager, kube-scheduler
 * and kwok with its stages and CRDs) from the Go module proxy into `cacheDir`.
 */
export async function buildBinaries(
  cacheDir: string,
  log: (line: string) => void = () => {},
  goCommand?: string,
  options: BuildBinariesOptions = {},
): Promise<void> {
  const builds = controlPlaneBuilds(cacheDir);
  if (options.nodes) builds.push(...kubernetesNodeBuilds(cacheDir), kwokBuild(join(options.cacheRoot ?? dirname(cacheDir), `kwok-${KWOK_VERSION}`)));
  await buildAll(builds, log, goCommand);
}

/**
 * Builds each binary with `go build` in its module folder. The Kubernetes commands share one
 * module, so the second and third reuse the packages the first compiled (Go's build cache). Each
 * binary is written to a temporary name and renamed, so an interrupted build never leaves half a
 * binary; kwok's stage and CRD files are copied from the module it was built from.
 */
async function buildAll(builds: Build[], log: (line: string) => void, goCommand?: string): Promise<void> {
  if (builds.length === 0) return;
  const go = await findGo(goCommand);
  const [major, minor] = KUBERNETES_VERSION.split('.');
  const versionFlags = [
    `-X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ];
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' };
  for (const build of builds) {
    await mkdir(dirname(build.target), { recursive: true });
    const partial = `${build.target}.partial-${process.pid}`;
    log(`building ${build.name} (${build.version}) with ${go}; the first build takes several minutes`);
    const started = Date.now();
    const cwd = join(goModulesDir, build.module);
    let source: string | undefined;
    try {
      const ldflags = ['-s', '-w', ...(build.kubernetesVersionFlags ? versionFlags : [])].join(' ');
      if (build.name === 'kwok') {
        // Built in a patched copy of its module (see kwok-patches.ts), with kwok's own go.mod.
        const kwokModule = await kwokModuleDir(go, cwd, env);
        source = join(dirname(build.target), `source-${process.pid}`);
        await prepareKwokSource(kwokModule, source);
        await run(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, './cmd/kwok'], { cwd: source, env });
        await copyKwokFiles(kwokModule, dirname(build.target));
      } else {
        await run(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, build.pkg], { cwd, env });
      }
    } catch (error) {
      await rm(partial, { force: true });
      if (source) await rm(source, { recursive: true, force: true });
      throw new EnvtestError(
        `Building ${build.name} from the Go module proxy failed: ${(error as Error).message}. ` +
          'Check that the Go module proxy is reachable (go env GOPROXY), or set KUBEBUILDER_ASSETS.',
      );
    }
    await rename(partial, build.target);
    if (source) await rm(source, { recursive: true, force: true });
    log(`built ${build.name} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

/** The kwok module's folder in Go's module cache (downloaded if it is not there yet). */
async function kwokModuleDir(go: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const info = JSON.parse(await run(go, ['mod', 'download', '-json', `sigs.k8s.io/kwok@v${KWOK_VERSION}`], { cwd, env })) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download sigs.k8s.io/kwok@v${KWOK_VERSION} gave no folder${info.Error ? `: ${info.Error}` : ''}`);
  return info.Dir;
}

/** Copies kwok's default stages and the CRDs envtest installs out of the kwok module it was built from. */
async function copyKwokFiles(moduleDir: string, kwokDir: string): Promise<void> {
  const stages = await Promise.all(KWOK_STAGE_FILES.map((file) => readFile(join(moduleDir, file), 'utf8')));
  const header = `# kwok v${KWOK_VERSION}'s default stages, copied by @kgo/envtest from ${KWOK_STAGE_FILES.join(', ')}.\n`;
  await writeFile(join(kwokDir, 'stages.yaml'), header + stages.map((text) => text.replace(/^---\n/, '').trimEnd()).join('\n---\n') + '\n');
  await mkdir(join(kwokDir, 'crds'), { recursive: true });
  for (const file of KWOK_CRD_FILES) {
    const target = join(kwokDir, 'crds', file);
    // Read and written, not copied: files in Go's module cache are read-only, and a copy keeps that mode.
    await writeFile(`${target}.partial`, await readFile(join(moduleDir, 'kustomize', 'crd', 'bases', file)));
    await rename(`${target}.partial`, target);
  }
}

import { access, constants, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvtestError } from './errors.ts';
import { run } from './run.ts';
import { ETCD_VERSION, KUBERNETES_VERSION } from './versions.ts';

/** Paths of the two control-plane binaries envtest runs. */
export interface ControlPlaneBinaries {
  /** Absolute path of `kube-apiserver`. */
  kubeApiserver: string;
  /** Absolute path of `etcd`. */
  etcd: string;
  /** Where they came from: `KUBEBUILDER_ASSETS`, the cache, or a fresh build into the cache. */
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
  /** Called with progress lines while building (a cold build takes minutes). */
  log?: ((line: string) => void) | undefined;
  /** The `go` command to build with. Default: `$GOROOT/bin/go`, `/usr/local/go/bin/go`, else `go` on PATH. */
  go?: string | undefined;
}

const goModulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'go');

/** The cache folder for one Kubernetes version: `<cache root>/<version>/`. */
export function binaryCacheDir(cacheRoot = defaultCacheRoot()): string {
  return join(cacheRoot, `${KUBERNETES_VERSION}-etcd${ETCD_VERSION}`);
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

/**
 * Finds kube-apiserver and etcd: `KUBEBUILDER_ASSETS` when set, else the cache, else builds
 * them once from the Go module proxy into the cache.
 */
export async function resolveBinaries(options: ResolveBinariesOptions = {}): Promise<ControlPlaneBinaries> {
  const assetsDir = options.assetsDir ?? process.env.KUBEBUILDER_ASSETS;
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
    return { ...binaries, source: 'assets' };
  }

  const cacheDir = binaryCacheDir(options.cacheDir);
  const cached = { kubeApiserver: join(cacheDir, 'kube-apiserver'), etcd: join(cacheDir, 'etcd') };
  if ((await isExecutable(cached.kubeApiserver)) && (await isExecutable(cached.etcd))) {
    return { ...cached, source: 'cache' };
  }
  if (options.build === false) {
    throw new EnvtestError(
      `No control-plane binaries in ${cacheDir}. Run \`kgo-envtest build\` (needs Go), or set KUBEBUILDER_ASSETS.`,
    );
  }
  await withBuildLock(cacheDir, options.log ?? (() => {}), async () => {
    // Another process may have finished the build while this one waited for the lock.
    if ((await isExecutable(cached.kubeApiserver)) && (await isExecutable(cached.etcd))) return;
    await buildBinaries(cacheDir, options.log ?? (() => {}), options.go);
  });
  return { ...cached, source: 'built' };
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
      `Install Go >= 1.26 (it builds kube-apiserver ${KUBERNETES_VERSION} and etcd ${ETCD_VERSION} from the Go module proxy once), ` +
      'or set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd.',
  );
}

/**
 * Builds kube-apiserver and etcd from the Go module proxy into `cacheDir`. Each binary is
 * written to a temporary name and renamed, so an interrupted build never leaves a half binary.
 */
export async function buildBinaries(cacheDir: string, log: (line: string) => void = () => {}, goCommand?: string): Promise<void> {
  const go = await findGo(goCommand);
  await mkdir(cacheDir, { recursive: true });
  const version = `v${KUBERNETES_VERSION}`;
  const [major, minor] = KUBERNETES_VERSION.split('.');
  const versionFlags = [
    `-X k8s.io/component-base/version.gitVersion=${version}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ];
  const builds = [
    { name: 'kube-apiserver', dir: 'kube-apiserver', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', ldflags: versionFlags },
    { name: 'etcd', dir: 'etcd', pkg: '.', ldflags: [] as string[] },
  ];
  for (const build of builds) {
    const target = join(cacheDir, build.name);
    const partial = `${target}.partial-${process.pid}`;
    log(`building ${build.name} (${build.name === 'etcd' ? ETCD_VERSION : version}) with ${go}; the first build takes several minutes`);
    const started = Date.now();
    try {
      await run(go, ['build', '-trimpath', '-ldflags', ['-s', '-w', ...build.ldflags].join(' '), '-o', partial, build.pkg], {
        cwd: join(goModulesDir, build.dir),
        env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' },
      });
    } catch (error) {
      await rm(partial, { force: true });
      throw new EnvtestError(
        `Building ${build.name} from the Go module proxy failed: ${(error as Error).message}. ` +
          'Check that the Go module proxy is reachable (go env GOPROXY), or set KUBEBUILDER_ASSETS.',
      );
    }
    await rename(partial, target);
    log(`built ${build.name} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

/**
 * The consumer check: packs every publishable package exactly as `pnpm publish` would, installs
 * all tarballs with plain npm into a scratch project outside the workspace, and imports each
 * package there. This catches what workspace tests cannot: files missing from `files`, exports
 * pointing at src/, `workspace:` ranges that were not rewritten, undeclared runtime dependencies.
 * Then it bundles apps from the installed packages with esbuild and rollup and runs the bundles
 * against the test cluster: a bundled app carries no package files to read at run time.
 *
 * All of it runs twice, from the same tarballs: once as a plain `npm install` resolves the
 * third-party runtime dependencies (the newest version each range admits, what a new user gets),
 * once with each pinned to the lowest version its ranges admit (npm `overrides`), which a user
 * whose lockfile or other packages hold it back may have. Each install prints the versions it
 * got (`consumer install (lowest): ky@2.1.0 yaml@2.9.1`).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundleWithEsbuild, bundleWithRollup, ESBUILD_ESM_REQUIRE_BANNER } from './test/bundlers.ts';
import {
  assertBuilt,
  describeInstall,
  filesUnder,
  installedDir,
  installedVersions,
  installProject,
  type Manifest,
  npmCommand,
  pack,
  publishablePackages,
  RANGE_ENDS,
  type RangeEnd,
  run,
  runtimeDependencies,
  TempDirs,
  versionsAt,
} from './test/consumer-project.ts';

/** What the child node process reports for one package. */
interface LoadResult {
  name: string;
  resolved?: string;
  exportCount?: number;
  manifestName?: string;
  error?: string;
}

interface Consumer {
  scratch: string;
  tarballs: Map<string, string>;
  loads: Map<string, LoadResult>;
  /** `name → version` of each runtime dependency at this install's end of its ranges, from the registry. */
  expected: Record<string, string>;
  /** `name → versions` of each runtime dependency as installed, every copy. */
  installed: Map<string, string[]>;
}

// Runs in the scratch project, so resolution sees only what npm installed there.
const CHILD_SCRIPT = `
const results = [];
for (const name of JSON.parse(process.argv[2])) {
  const result = { name };
  try {
    result.resolved = import.meta.resolve(name);
    result.exportCount = Object.keys(await import(name)).length;
    const manifest = await import(name + '/package.json', { with: { type: 'json' } });
    result.manifestName = manifest.default.name;
  } catch (error) {
    result.error = String(error?.stack ?? error);
  }
  results.push(result);
}
console.log(JSON.stringify(results));
`;

const temp = new TempDirs();
const packages = publishablePackages();
const dependencies = runtimeDependencies(packages);

let packing: Promise<Map<string, string>> | undefined;
/** The tarballs, packed once for both installs. */
function packAll(): Promise<Map<string, string>> {
  return (packing ??= (async () => {
    assertBuilt(packages);
    const packDir = temp.make('kgo-pack-');
    const tarballs = new Map<string, string>();
    await Promise.all(packages.map(async (pkg) => tarballs.set(pkg.name, await pack(pkg.dir, packDir))));
    return tarballs;
  })());
}

async function installConsumer(end: RangeEnd): Promise<Consumer> {
  const tarballs = await packAll();
  const expected = await versionsAt(end, dependencies);
  // The newest end is npm's own choice (checked against `expected` by a test); the lowest is pinned.
  const scratch = await installProject(temp, [...tarballs.values()], end === 'lowest' ? { overrides: expected } : {});
  const installed = installedVersions(scratch, dependencies.map((dependency) => dependency.name));
  // Printed, so every CI log says which versions this run checked.
  console.log(describeInstall(`consumer install (${end})`, installed));
  writeFileSync(join(scratch, 'check.mjs'), CHILD_SCRIPT);
  const output = await run(process.execPath, ['check.mjs', JSON.stringify(packages.map((pkg) => pkg.name))], scratch);
  const loads = new Map((JSON.parse(output) as LoadResult[]).map((load) => [load.name, load]));
  return { scratch, tarballs, loads, expected, installed };
}

const installs = new Map<RangeEnd, Promise<Consumer>>();
// Every test awaits its end's one install, so a failed build or install fails each test loudly.
function consumer(end: RangeEnd): Promise<Consumer> {
  const install = installs.get(end) ?? installConsumer(end);
  installs.set(end, install);
  return install;
}

afterAll(async () => {
  await Promise.all([...installs.values()].map((install) => install.catch(() => undefined)));
  temp.removeAll();
});

describe('the runtime dependencies', () => {
  it('are read from the published manifests: ky (@kgo/rest) and yaml (@kgo/kubeconfig, @kgo/typed) at least', () => {
    expect(dependencies.map((dependency) => dependency.name)).toEqual(expect.arrayContaining(['ky', 'yaml']));
    const yaml = dependencies.find((dependency) => dependency.name === 'yaml');
    expect(yaml?.ranges.map((range) => range.by)).toEqual(expect.arrayContaining(['@kgo/kubeconfig', '@kgo/typed']));
    for (const dependency of dependencies) expect(dependency.name, 'an @kgo package from the registry').not.toMatch(/^@kgo\//);
  });
});

describe('the publishable packages', () => {
  it('covers the seven publishable packages', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['@kgo/rest', '@kgo/kubeconfig', '@kgo/discovery', '@kgo/discovery-cache', '@kgo/typed', '@kgo/dynamic', '@kgo/envtest']),
    );
  });
});

describe.each(RANGE_ENDS)('the packed packages, installed with npm in a project outside the workspace (%s runtime dependencies)', (end) => {
  it(`installs each runtime dependency once, at the ${end} version its ranges admit`, async () => {
    const { installed, expected } = await consumer(end);
    for (const dependency of dependencies) {
      expect(installed.get(dependency.name), `${dependency.name} (${dependency.ranges.map(({ by, range }) => `${by}: ${range}`).join(', ')})`).toEqual([expected[dependency.name]]);
    }
  });

  it('packs one tarball per package, with workspace: ranges rewritten to versions', async () => {
    const { scratch, tarballs } = await consumer(end);
    expect([...tarballs.keys()].sort()).toEqual(packages.map((pkg) => pkg.name).sort());
    for (const pkg of packages) {
      const installed = readFileSync(join(installedDir(scratch, pkg.name), 'package.json'), 'utf8');
      expect(installed, `${pkg.name}'s packed package.json`).not.toContain('workspace:');
    }
  });

  it('satisfies every @kgo dependency from the local tarballs, in a valid npm tree', async () => {
    const { scratch } = await consumer(end);
    for (const pkg of packages) {
      // A nested copy would mean npm fetched a different @kgo version instead of the tarball.
      expect(existsSync(join(installedDir(scratch, pkg.name), 'node_modules', '@kgo')), `nested @kgo packages under ${pkg.name}`).toBe(false);
    }
    await run(npmCommand(), ['ls', '--all'], scratch); // exits non-zero on missing or invalid dependencies
  });

  it('ships compiled JavaScript only: no TypeScript sources besides declarations', async () => {
    const { scratch } = await consumer(end);
    for (const pkg of packages) {
      const sources = filesUnder(installedDir(scratch, pkg.name)).filter((file) => /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file));
      expect(sources, `TypeScript sources in the ${pkg.name} tarball`).toEqual([]);
    }
  });

  it.each(packages.map((pkg) => pkg.name))('%s loads from dist/index.js, with an importable package.json', async (name) => {
    const { scratch, loads } = await consumer(end);
    const load = loads.get(name);
    expect(load?.error, `importing ${name} in the consumer project`).toBeUndefined();
    // Resolves into the scratch project's own node_modules (not a link back into the workspace) and to dist.
    expect(load?.resolved).toBe(pathToFileURL(join(installedDir(scratch, name), 'dist', 'index.js')).href);
    expect(load?.manifestName).toBe(name);
  });
});

describe('apps bundled from the installed packages', () => {
  const cluster = testCluster();
  const apps = new URL('./test/apps/', import.meta.url);
  const pod = `kgo-bundled-${Date.now().toString(36)}`;
  const restVersion = packages.find((pkg) => pkg.name === '@kgo/rest')?.manifest.version;
  let podUid = '';
  // The workspace's own client sets the scene; the apps under test are the installed, bundled packages.
  const core = new RestClient(
    restConfigFor(cluster),
    { groupVersion: { group: '', version: 'v1' } },
  );

  beforeAll(async () => {
    // envtest runs no scheduler or kubelet, so kube-system starts empty: give the apps a pod to find.
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] } };
    const created = (await core.post().namespace('kube-system').resource('pods').body(body).do()).into<{ metadata: { uid: string } }>();
    podUid = created.metadata.uid;
  });
  afterAll(async () => {
    await core.delete().namespace('kube-system').resource('pods').name(pod).do().catch(() => undefined);
  });

  /** Copies an app into the scratch project, where its imports resolve to the installed tarballs. */
  const appIn = (scratch: string, app: string) => {
    const entry = join(scratch, 'apps', app);
    mkdirSync(join(scratch, 'apps'), { recursive: true });
    copyFileSync(new URL(app, apps), entry);
    return entry;
  };
  /** Runs a bundle alone in an empty folder: no node_modules, no package.json to fall back on. */
  const runAlone = (bundle: BundleResult) => {
    const dir = temp.make('kgo-bundle-');
    copyFileSync(bundle.outfile, join(dir, basename(bundle.outfile)));
    return run(process.execPath, [basename(bundle.outfile)], dir, { KUBECONFIG: cluster.adminKubeconfig });
  };
  const thirdParty = (scratch: string) => {
    const names = packages.flatMap((pkg) => {
      const manifest = JSON.parse(readFileSync(join(installedDir(scratch, pkg.name), 'package.json'), 'utf8')) as Manifest;
      return pkg.name === '@kgo/envtest' ? [] : Object.keys(manifest.dependencies ?? {});
    });
    return [...new Set(names.filter((name) => !name.startsWith('@kgo/')))].sort();
  };
  const kgoImports = (bundle: BundleResult) => bundle.imports.filter((specifier) => specifier.startsWith('@kgo/'));

  const listPodsBuilds: [string, (entry: string, outDir: string) => Promise<BundleResult>][] = [
    ['esbuild --format=esm (with the createRequire banner)', (entry, outDir) =>
      bundleWithEsbuild({ entry, outfile: join(outDir, 'list-pods.esbuild.mjs'), format: 'esm', banner: ESBUILD_ESM_REQUIRE_BANNER })],
    ['esbuild --format=cjs', (entry, outDir) => bundleWithEsbuild({ entry, outfile: join(outDir, 'list-pods.esbuild.cjs'), format: 'cjs' })],
    ['rollup + node-resolve + commonjs', (entry, outDir) => bundleWithRollup({ entry, outfile: join(outDir, 'list-pods.rollup.mjs') })],
  ];

  describe.each(RANGE_ENDS)('with the %s runtime dependencies', (end) => {
    it.each(listPodsBuilds)('a "list pods" app (kubeconfig + rest) bundled by %s runs alone and lists the real pods', async (_name, bundle) => {
      const { scratch } = await consumer(end);
      const entry = appIn(scratch, 'list-pods.mjs');
      const result = await bundle(entry, temp.make('kgo-out-'));
      // Warnings from third-party code are theirs; none may come from kgo.
      expect(result.warnings.filter((warning) => warning.includes('@kgo'))).toEqual([]);
      expect(kgoImports(result), 'the bundle still imports kgo packages').toEqual([]);
      // An ES module has no `require`: a call left in the bundle fails when its code path runs (or is swallowed by a catch).
      const code = readFileSync(result.outfile, 'utf8').split('\n').filter((line) => !line.trim().startsWith('//'));
      if (result.outfile.endsWith('.mjs')) expect(code.filter((line) => /(?<![\w$.])require\(/.test(line)), 'require calls in an ES module bundle').toEqual([]);
      const output = await runAlone(result);
      expect(output).toContain(`pod ${pod} ${podUid}\n`);
      expect(output).toMatch(/^\d+ pods in kube-system at resourceVersion \d+$/m);
    });

    it('every package, bundled with its third-party dependencies left external, loads and exports exactly what it does unbundled', async () => {
      const { scratch } = await consumer(end);
      const entry = appIn(scratch, 'every-package.mjs');
      const external = thirdParty(scratch);
      expect(external, 'the runtime dependencies of the @kgo packages').toEqual(expect.arrayContaining(['ky', 'yaml']));
      const unbundled = await run(process.execPath, [entry], scratch);
      expect(unbundled).toContain(`user agent version ${restVersion}\n`);
      expect(unbundled.split('\n').filter((line) => line.startsWith('@kgo/'))).toHaveLength(6);

      // No banner and no shims: kgo's own code is plain ESM that reads none of its files at run time.
      const builds = [
        await bundleWithEsbuild({ entry, outfile: join(scratch, 'every-package.esbuild.mjs'), format: 'esm', external }),
        await bundleWithRollup({ entry, outfile: join(scratch, 'every-package.rollup.mjs'), external }),
      ];
      for (const result of builds) {
        expect(result.warnings, `${basename(result.outfile)}: bundler warnings`).toEqual([]);
        expect(kgoImports(result), `${basename(result.outfile)} still imports kgo packages`).toEqual([]);
        expect(await run(process.execPath, [result.outfile], scratch), basename(result.outfile)).toBe(unbundled);
      }
    });
  });
});

/**
 * The consumer check: packs every publishable package exactly as `pnpm publish` would, installs
 * all tarballs with plain npm into a scratch project outside the workspace, and imports each
 * package there. This catches what workspace tests cannot: files missing from `files`, exports
 * pointing at src/, `workspace:` ranges that were not rewritten, undeclared runtime dependencies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Publishable {
  name: string;
  dir: string;
  manifest: Manifest;
}

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
}

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function publishablePackages(): Publishable[] {
  const packagesDir = join(repoRoot, 'packages');
  return readdirSync(packagesDir)
    .filter((entry) => existsSync(join(packagesDir, entry, 'package.json')))
    .sort()
    .map((entry) => {
      const dir = join(packagesDir, entry);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      return { name: manifest.name, dir, manifest };
    })
    .filter((pkg) => !pkg.manifest.private);
}

// The npm that ships with the running Node when there is one; the toolchain's Node (from the
// `node` npm package) has no sibling npm, so fall back to npm on PATH.
function npmCommand(): string {
  const sibling = join(dirname(process.execPath), 'npm');
  return existsSync(sibling) ? sibling : 'npm';
}

// Drops what pnpm injects into scripts (npm_command, npm_execpath, its user agent…) so that npm
// behaves as in a consumer's shell; real npm_config_* settings (registry, proxy) are kept.
function consumerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(?!config_)/i.test(key) && key.toLowerCase() !== 'npm_config_user_agent'),
  );
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: consumerEnv(), maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Every file an `exports` entry imports, e.g. `dist/index.js`. */
function exportTargets(manifest: Manifest): string[] {
  return Object.values(manifest.exports ?? {}).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.import ? [entry.import] : []));
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

const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

async function installConsumer(packages: readonly Publishable[]): Promise<Consumer> {
  // Fail (not skip) on a missing build: a skipped consumer check would hide a broken package.
  for (const pkg of packages) {
    for (const target of exportTargets(pkg.manifest)) {
      if (!target.startsWith('./src/') && !existsSync(join(pkg.dir, target))) {
        throw new Error(`${pkg.name}: ${relative(repoRoot, join(pkg.dir, target))} is missing. Run \`pnpm build\` first (\`pnpm test\` builds dependencies through turbo).`);
      }
    }
  }

  const packDir = tempDir('kgo-pack-');
  const tarballs = new Map<string, string>();
  await Promise.all(
    packages.map(async (pkg) => {
      const packed = JSON.parse(await run('pnpm', ['pack', '--json', '--pack-destination', packDir], pkg.dir)) as { filename: string };
      tarballs.set(pkg.name, packed.filename);
    }),
  );

  const scratch = realpathSync(tempDir('kgo-consumer-')); // resolved URLs are real paths
  if (!relative(repoRoot, scratch).startsWith('..')) {
    throw new Error(`the scratch project ${scratch} is inside the workspace, where node would resolve the workspace's node_modules: point TMPDIR elsewhere.`);
  }
  writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'kgo-consumer-check', private: true, type: 'module' }, null, 2)}\n`);
  // One install for all tarballs, so npm satisfies the @kgo ranges pnpm pack wrote (^0.1.0) from
  // these tarballs instead of looking for unpublished versions on the registry.
  await run(npmCommand(), ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()], scratch);

  writeFileSync(join(scratch, 'check.mjs'), CHILD_SCRIPT);
  const output = await run(process.execPath, ['check.mjs', JSON.stringify(packages.map((pkg) => pkg.name))], scratch);
  const loads = new Map((JSON.parse(output) as LoadResult[]).map((load) => [load.name, load]));
  return { scratch, tarballs, loads };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describe('the packed packages, installed with npm in a project outside the workspace', () => {
  const packages = publishablePackages();
  let setup: Promise<Consumer> | undefined;
  // Every test awaits the one install, so a failed build or install fails each test loudly.
  const consumer = () => (setup ??= installConsumer(packages));
  const installedDir = (scratch: string, name: string) => join(scratch, 'node_modules', ...name.split('/'));

  afterAll(async () => {
    await setup?.catch(() => undefined);
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('covers the seven publishable packages', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['@kgo/rest', '@kgo/kubeconfig', '@kgo/discovery', '@kgo/discovery-cache', '@kgo/typed', '@kgo/dynamic', '@kgo/envtest']),
    );
  });

  it('packs one tarball per package, with workspace: ranges rewritten to versions', async () => {
    const { scratch, tarballs } = await consumer();
    expect([...tarballs.keys()].sort()).toEqual(packages.map((pkg) => pkg.name).sort());
    for (const pkg of packages) {
      const installed = readFileSync(join(installedDir(scratch, pkg.name), 'package.json'), 'utf8');
      expect(installed, `${pkg.name}'s packed package.json`).not.toContain('workspace:');
    }
  });

  it('satisfies every @kgo dependency from the local tarballs, in a valid npm tree', async () => {
    const { scratch } = await consumer();
    for (const pkg of packages) {
      // A nested copy would mean npm fetched a different @kgo version instead of the tarball.
      expect(existsSync(join(installedDir(scratch, pkg.name), 'node_modules', '@kgo')), `nested @kgo packages under ${pkg.name}`).toBe(false);
    }
    await run(npmCommand(), ['ls', '--all'], scratch); // exits non-zero on missing or invalid dependencies
  });

  it('ships compiled JavaScript only: no TypeScript sources besides declarations', async () => {
    const { scratch } = await consumer();
    for (const pkg of packages) {
      const sources = filesUnder(installedDir(scratch, pkg.name)).filter((file) => /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file));
      expect(sources, `TypeScript sources in the ${pkg.name} tarball`).toEqual([]);
    }
  });

  it.each(packages.map((pkg) => pkg.name))('%s loads from dist/index.js, with an importable package.json', async (name) => {
    const { scratch, loads } = await consumer();
    const load = loads.get(name);
    expect(load?.error, `importing ${name} in the consumer project`).toBeUndefined();
    // Resolves into the scratch project's own node_modules (not a link back into the workspace) and to dist.
    expect(load?.resolved).toBe(pathToFileURL(join(installedDir(scratch, name), 'dist', 'index.js')).href);
    expect(load?.manifestName).toBe(name);
  });
});

/**
 * Packing and installing the @kgo packages as a consumer gets them: `pnpm pack` (as `pnpm publish`
 * would), then plain npm in a scratch project outside the workspace, where resolution sees only
 * what npm installed there. Shared by the consumer checks.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandWildcard } from '../exports-map.ts';

/** The package.json fields the checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A publishable workspace package. */
export interface Publishable {
  name: string;
  dir: string;
  manifest: Manifest;
}

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Every package under packages/ that is not private, sorted by folder. */
export function publishablePackages(): Publishable[] {
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
export function npmCommand(): string {
  const sibling = join(dirname(process.execPath), 'npm');
  return existsSync(sibling) ? sibling : 'npm';
}

// Drops what pnpm injects into scripts (npm_command, npm_execpath, its user agent…) so that npm
// behaves as in a consumer's shell; real npm_config_* settings (registry, proxy) are kept.
function consumerEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(?!config_)/i.test(key) && key.toLowerCase() !== 'npm_config_user_agent'),
  );
  return { ...env, ...extra };
}

/** Runs a command in the consumer's environment; rejects with its stderr on a non-zero exit. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: consumerEnv(env), maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Every file an `exports` entry imports, e.g. `dist/index.js`. */
export function exportTargets(manifest: Manifest): string[] {
  return Object.values(manifest.exports ?? {}).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.import ? [entry.import] : []));
}

/** Fails (not skips) on a missing build: a skipped consumer check would hide a broken package. */
export function assertBuilt(packages: readonly Publishable[]): void {
  for (const pkg of packages) {
    for (const target of exportTargets(pkg.manifest)) {
      // A wildcard export (@kgo/typed's group-versions) is built when it matches at least one file.
      const built = target.includes('*') ? expandWildcard(pkg.dir, './*', target).length > 0 : existsSync(join(pkg.dir, target));
      if (!target.startsWith('./src/') && !built) {
        throw new Error(`${pkg.name}: ${relative(repoRoot, join(pkg.dir, target))} is missing. Run \`pnpm build\` first (\`pnpm test\` builds dependencies through turbo).`);
      }
    }
  }
}

/** Temporary folders, removed together by {@link TempDirs.removeAll}. */
export class TempDirs {
  readonly #dirs: string[] = [];

  /** A new empty folder under the system temp folder, as a real path (resolved URLs are real paths). */
  make(prefix: string): string {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    this.#dirs.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** `pnpm pack` of one package folder into `destination`; returns the tarball's path. */
export async function pack(dir: string, destination: string): Promise<string> {
  const packed = JSON.parse(await run('pnpm', ['pack', '--json', '--pack-destination', destination], dir)) as { filename: string };
  return packed.filename;
}

/** How {@link packEdited} changes a copy of a built package. */
export interface Release {
  /** The new manifest, from the package's own. */
  manifest: (manifest: Manifest) => Manifest;
  /** Further changes to the copy's files (what a build at that version would have written). */
  files?: (copyDir: string) => void;
}

/**
 * Packs a copy of a built package changed as `release` says (another version, other ranges), as
 * if that release had been published from another commit. The copy lives outside the workspace,
 * so its devDependencies (workspace: ranges pnpm could not resolve there, and that consumers
 * never install) are dropped.
 */
export async function packEdited(pkg: Publishable, temp: TempDirs, destination: string, release: Release): Promise<string> {
  const copy = temp.make('kgo-release-');
  for (const entry of readdirSync(pkg.dir)) {
    if (entry !== 'node_modules' && !entry.startsWith('.')) cpSync(join(pkg.dir, entry), join(copy, entry), { recursive: true });
  }
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as Manifest;
  delete manifest.devDependencies;
  writeFileSync(join(copy, 'package.json'), `${JSON.stringify(release.manifest(manifest), null, 2)}\n`);
  release.files?.(copy);
  return pack(copy, destination);
}

/**
 * A scratch npm project outside the workspace (where node would otherwise resolve the
 * workspace's node_modules) with these tarballs installed by one `npm install`, so npm satisfies
 * the @kgo ranges pnpm pack wrote from these tarballs instead of the registry.
 */
export async function installProject(temp: TempDirs, tarballs: readonly string[]): Promise<string> {
  const scratch = temp.make('kgo-consumer-');
  if (!relative(repoRoot, scratch).startsWith('..')) {
    throw new Error(`the scratch project ${scratch} is inside the workspace, where node would resolve the workspace's node_modules: point TMPDIR elsewhere.`);
  }
  writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'kgo-consumer-check', private: true, type: 'module' }, null, 2)}\n`);
  await run(npmCommand(), ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], scratch);
  return scratch;
}

/** Where npm put an installed package in a project. */
export function installedDir(scratch: string, name: string): string {
  return join(scratch, 'node_modules', ...name.split('/'));
}

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

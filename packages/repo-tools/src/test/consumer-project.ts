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
      if (!target.startsWith('./src/') && !isBuilt(pkg.dir, target)) {
        throw new Error(`${pkg.name}: ${relative(repoRoot, join(pkg.dir, target))} is missing. Run \`pnpm build\` first (\`pnpm test\` builds dependencies through turbo).`);
      }
    }
  }
}

/**
 * Whether an export target exists; a subpath pattern (`./dist/generated/*&#47;index.js`, @kgo/typed's
 * group-versions) counts as built when at least one file under its folder matches it.
 */
function isBuilt(dir: string, target: string): boolean {
  const star = target.indexOf('*');
  if (star < 0) return existsSync(join(dir, target));
  const base = join(dir, target.slice(0, star));
  const suffix = target.slice(star + 1);
  if (!existsSync(base)) return false;
  return readdirSync(base, { recursive: true, encoding: 'utf8' }).some((entry) => `/${entry}`.endsWith(suffix) && entry.length > suffix.length);
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

/** Options of {@link installProject}. */
export interface InstallOptions {
  /**
   * npm `overrides` for the scratch project's package.json: every copy of each named package in
   * the tree is installed at that version (how the lowest install pins the floors).
   */
  overrides?: Readonly<Record<string, string>> | undefined;
}

/**
 * A scratch npm project outside the workspace (where node would otherwise resolve the
 * workspace's node_modules) with these tarballs installed by one `npm install`, so npm satisfies
 * the @kgo ranges pnpm pack wrote from these tarballs instead of the registry.
 */
export async function installProject(temp: TempDirs, tarballs: readonly string[], options: InstallOptions = {}): Promise<string> {
  const scratch = temp.make('kgo-consumer-');
  if (!relative(repoRoot, scratch).startsWith('..')) {
    throw new Error(`the scratch project ${scratch} is inside the workspace, where node would resolve the workspace's node_modules: point TMPDIR elsewhere.`);
  }
  const manifest = { name: 'kgo-consumer-check', private: true, type: 'module', ...(options.overrides ? { overrides: options.overrides } : {}) };
  writeFileSync(join(scratch, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(npmCommand(), ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], scratch);
  return scratch;
}

/**
 * Which end of its range each third-party runtime dependency is installed at: `newest` is what
 * a plain `npm install` gives a new user, `lowest` the floor a user with an older lockfile (or
 * deduplicated with another package) may have.
 */
export type RangeEnd = 'newest' | 'lowest';

/** Both ends, in the order the checks run them. */
export const RANGE_ENDS: readonly RangeEnd[] = ['newest', 'lowest'];

/** A third-party runtime dependency of the published packages, with every range that names it. */
export interface RuntimeDependency {
  name: string;
  /** The range each package declares, e.g. `{ by: '@kgo/rest', range: '^2.1.0' }`. */
  ranges: { by: string; range: string }[];
}

/**
 * Every entry of the packages' `dependencies` blocks that is not one of their own (`workspace:`
 * ranges, which the tarballs satisfy), sorted by name: what npm fetches from the registry.
 */
export function runtimeDependencies(packages: readonly Publishable[]): RuntimeDependency[] {
  const byName = new Map<string, RuntimeDependency>();
  for (const pkg of packages) {
    for (const [name, range] of Object.entries(pkg.manifest.dependencies ?? {})) {
      if (range.startsWith('workspace:')) continue;
      const dependency = byName.get(name) ?? { name, ranges: [] };
      dependency.ranges.push({ by: pkg.name, range });
      byName.set(name, dependency);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `[major, minor, patch, prerelease identifiers]` of a semver version; throws on anything else. */
function parseVersion(version: string): [number, number, number, string[]] {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) throw new Error(`${version} is not a semver version`);
  return [Number(match[1]), Number(match[2]), Number(match[3]), match[4]?.split('.') ?? []];
}

/** Semver precedence (semver.org, item 11): negative when `a` comes before `b`. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  const [pa, pb] = [x[3], y[3]];
  // A release comes after its prereleases.
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [ia, ib] = [pa[i] as string, pb[i] as string];
    if (ia === ib) continue;
    const [na, nb] = [/^\d+$/.test(ia), /^\d+$/.test(ib)];
    if (na && nb) return Number(ia) - Number(ib);
    if (na !== nb) return na ? -1 : 1;
    return ia < ib ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * The registry's versions of `dependency` that satisfy every one of its ranges, oldest first.
 * The ranges are matched by npm itself (`npm view <name>@<range> version`, which lists every
 * published version the range admits), so the answer is what npm could install.
 */
async function satisfyingVersions(dependency: RuntimeDependency): Promise<string[]> {
  let common: string[] | undefined;
  for (const { range } of dependency.ranges) {
    const output = (await run(npmCommand(), ['view', `${dependency.name}@${range}`, 'version', '--json'], tmpdir())).trim();
    // One match prints a string, several an array; none prints nothing.
    const parsed = output ? (JSON.parse(output) as string | string[]) : [];
    const versions = Array.isArray(parsed) ? parsed : [parsed];
    common = common ? common.filter((version) => versions.includes(version)) : versions;
  }
  const sorted = (common ?? []).sort(compareVersions);
  if (sorted.length === 0) {
    const declared = dependency.ranges.map(({ by, range }) => `${by}: ${range}`).join(', ');
    throw new Error(`no published version of ${dependency.name} satisfies all of its ranges (${declared}): align them`);
  }
  return sorted;
}

/** `name → version` at one end of every dependency's ranges: the newest or the lowest version they all admit. */
export async function versionsAt(end: RangeEnd, dependencies: readonly RuntimeDependency[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    dependencies.map(async (dependency) => {
      const versions = await satisfyingVersions(dependency);
      return [dependency.name, (end === 'lowest' ? versions[0] : versions[versions.length - 1]) as string] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Every installed copy of a package under a project's node_modules, nested ones included. */
export function copiesOf(project: string, name: string): string[] {
  return readdirSync(join(project, 'node_modules'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && join(entry.parentPath, entry.name).endsWith(join('node_modules', ...name.split('/'))))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `name → the versions installed` (one per copy, sorted, duplicates dropped) for each name. */
export function installedVersions(project: string, names: readonly string[]): Map<string, string[]> {
  return new Map(
    names.map((name) => {
      const versions = copiesOf(project, name).map((dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest).version);
      return [name, [...new Set(versions)].sort(compareVersions)];
    }),
  );
}

/**
 * The line CI prints for an install, e.g. `consumer install (lowest): ky@2.1.0 yaml@2.9.1`; a
 * package installed in several versions lists them all (`ky@2.1.0,2.2.0`), one missing `-`.
 */
export function describeInstall(label: string, installed: ReadonlyMap<string, readonly string[]>): string {
  const versions = [...installed].map(([name, list]) => `${name}@${list.length > 0 ? list.join(',') : '-'}`);
  return `${label}: ${versions.join(' ')}`;
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

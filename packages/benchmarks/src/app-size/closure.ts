/**
 * An app's production closure as its users get it: packages installed by plain npm with
 * `--omit=dev` into a scratch project outside the workspace, and what that costs on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Size of an installed `node_modules`. */
export interface ClosureSize {
  /** Sum of the files' sizes (bytes; what `du --apparent-size` counts). */
  apparentBytes: number;
  /** Space the files take on this file system (allocated blocks, bytes; what `du` counts). */
  diskBytes: number;
  files: number;
  /** Every installed package (nested copies too), as `name@version`, sorted. */
  packages: string[];
  /** The largest top-level packages (a scope's packages apart), by apparent size. */
  largest: { name: string; apparentBytes: number }[];
}

/**
 * Runs a command outside pnpm's script environment (pnpm sets npm_command, npm_execpath, its own
 * user agent…, which would change npm's behaviour); real `npm_config_*` settings (registry,
 * proxy, cache) are kept. Rejects with the command's stderr on a non-zero exit.
 */
export function runCommand(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(?!config_)/i.test(key) && key.toLowerCase() !== 'npm_config_user_agent'),
  );
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, env: { ...clean, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The npm beside the running Node when there is one, else npm on PATH. */
export function npmCommand(): string {
  const sibling = join(dirname(process.execPath), 'npm');
  return existsSync(sibling) ? sibling : 'npm';
}

/** `pnpm pack` of a workspace package into `destination` (as `pnpm publish` packs it); the tarball's path. */
export async function packWorkspacePackage(dir: string, destination: string): Promise<string> {
  const packed = JSON.parse(await runCommand('pnpm', ['pack', '--json', '--pack-destination', destination], dir)) as { filename: string };
  return packed.filename;
}

/**
 * `npm install --omit=dev` of `specs` (tarball paths or `name@version`) in `project`, a new
 * folder given a bare ES-module package.json.
 */
export async function installClosure(project: string, specs: readonly string[]): Promise<void> {
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'kgo-app-size', private: true, type: 'module' }, null, 2)}\n`);
  await runCommand(npmCommand(), ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', ...specs], project);
}

/** Measures `<project>/node_modules`. */
export function measureClosure(project: string): ClosureSize {
  const root = join(project, 'node_modules');
  let apparentBytes = 0;
  let diskBytes = 0;
  let files = 0;
  const perTopLevel = new Map<string, number>();
  const packages = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const stats = lstatSync(path);
    // Directories' own blocks count on disk too (as du counts them); links are not followed.
    diskBytes += stats.blocks * 512;
    if (!entry.isFile()) continue;
    files++;
    apparentBytes += stats.size;
    const relative = path.slice(root.length + 1).split('/');
    const topLevel = relative[0]?.startsWith('@') ? `${relative[0]}/${relative[1]}` : (relative[0] ?? '');
    perTopLevel.set(topLevel, (perTopLevel.get(topLevel) ?? 0) + stats.size);
    if (entry.name === 'package.json' && isPackageRoot(relative)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (manifest.name) packages.add(`${manifest.name}@${manifest.version ?? '?'}`);
    }
  }
  const largest = [...perTopLevel]
    .filter(([name]) => !name.startsWith('.'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, bytes]) => ({ name, apparentBytes: bytes }));
  return { apparentBytes, diskBytes, files, packages: [...packages].sort(), largest };
}

/**
 * Whether `node_modules/…/package.json` (the path below node_modules, split) is a package's own
 * manifest: `pkg/package.json`, `@scope/pkg/package.json`, or the same under a nested
 * `…/node_modules/`, rather than one deeper inside a package.
 */
function isPackageRoot(relative: readonly string[]): boolean {
  const last = relative.lastIndexOf('node_modules');
  const tail = relative.slice(last + 1);
  return tail.length === (tail[0]?.startsWith('@') ? 3 : 2);
}

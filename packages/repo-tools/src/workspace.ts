/** Reads the workspace model the DAG check works on from disk. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PackageManifest, SourceFile, WorkspacePackage } from './dag-check.ts';

const SOURCE = /\.[cm]?tsx?$/;
// Never scanned: installed and generated trees.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function readSources(root: string, dir: string, recursive: boolean): SourceFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry): SourceFile[] => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return recursive && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.') ? readSources(root, path, true) : [];
      }
      return entry.isFile() && SOURCE.test(entry.name) ? [{ path: toPosix(relative(root, path)), text: readFileSync(path, 'utf8') }] : [];
    });
}

/**
 * The package patterns of `pnpm-workspace.yaml` (its `packages:` list), or `packages/*` when the
 * root has none (the test workspaces). Only the two forms kgo uses are read — a folder
 * (`examples`) and a folder's children (`packages/*`); anything else is an error naming it, so a
 * new pattern cannot silently leave packages unchecked.
 */
export function workspacePatterns(root: string): string[] {
  const file = join(root, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return ['packages/*'];
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
    } else if (inPackages && /^\s+-\s/.test(line)) {
      const pattern = line.replace(/^\s+-\s+/, '').replace(/\s+#.*$/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
      if (!/^[\w.-]+(\/[\w.-]+)*(\/\*)?$/.test(pattern)) {
        throw new Error(`pnpm-workspace.yaml lists the package pattern ${JSON.stringify(pattern)}: the DAG check reads only folders ("examples") and their children ("packages/*"); extend workspacePatterns in packages/repo-tools/src/workspace.ts.`);
      }
      patterns.push(pattern);
    } else if (inPackages && line.trim() !== '' && !/^\s*#/.test(line)) {
      inPackages = false;
    }
  }
  return patterns;
}

/** The folders (absolute) of the workspace's packages: every match of a pattern that has a package.json. */
function packageDirs(root: string): string[] {
  return workspacePatterns(root)
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [join(root, pattern)];
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) return [];
      return readdirSync(parent, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(parent, entry.name));
    })
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .sort((a, b) => a.localeCompare(b));
}

/**
 * Loads every package of the workspace (see {@link workspacePatterns}): its manifest, the files
 * under `src/` and `test/`, and the TypeScript files at the package root (`vitest.config.ts`, the
 * examples).
 */
export function loadWorkspace(root: string): WorkspacePackage[] {
  return packageDirs(root).map((dir) => {
    const manifestText = readFileSync(join(dir, 'package.json'), 'utf8');
    return {
      dir: toPosix(relative(root, dir)),
      manifest: JSON.parse(manifestText) as PackageManifest,
      manifestText,
      files: [...readSources(root, dir, false), ...readSources(root, join(dir, 'src'), true), ...readSources(root, join(dir, 'test'), true)],
    };
  });
}

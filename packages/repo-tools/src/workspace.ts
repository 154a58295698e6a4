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
 * Loads every package under `<root>/packages/*` that has a package.json: its manifest, the files
 * under `src/` and the TypeScript files at the package root (`vitest.config.ts`, …).
 */
export function loadWorkspace(root: string): WorkspacePackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifestText = readFileSync(join(dir, 'package.json'), 'utf8');
      return {
        dir: toPosix(relative(root, dir)),
        manifest: JSON.parse(manifestText) as PackageManifest,
        manifestText,
        files: [...readSources(root, dir, false), ...readSources(root, join(dir, 'src'), true)],
      };
    });
}

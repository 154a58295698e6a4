/**
 * The public entry points of every published @kgo package, read from each package.json's `exports` map: what the
 * API reference documents and what its pages are named after.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExportsField, exportEntries } from '@kgo/repo-tools/exports-map';

/** One import specifier of a published package and the source file behind it. */
export interface EntryPoint {
  /** The package's name, e.g. `@kgo/rest`. */
  packageName: string;
  /** The package folder, relative to the repository root (`packages/rest`). */
  packageDir: string;
  /** What an app imports: `@kgo/rest`, `@kgo/rest/meta`, `@kgo/typed/core/v1`. */
  specifier: string;
  /** The source file the workspace's `@kgo/source` condition maps it to (absolute). */
  sourceFile: string;
}

/** Which group-version subpaths of `@kgo/typed` (its `./*` export) to document. */
export type TypedSelection = 'all' | readonly string[];

/**
 * The selection from `KGO_DOCS_TYPED`: unset or `all` documents every group-version; a list such as
 * `core/v1,apps/v1` documents those only, for a quicker local build. The API reference and the package pages must
 * agree, so both read it here.
 */
export function typedSelectionFromEnv(env: NodeJS.ProcessEnv = process.env): TypedSelection {
  const value = env.KGO_DOCS_TYPED?.trim() || 'all';
  return value === 'all' ? 'all' : value.split(',').map((part) => part.trim()).filter(Boolean);
}

interface Manifest {
  name: string;
  private?: boolean;
  exports?: ExportsField;
}

/**
 * The entry points of every package under `<root>/packages` that is not private, in folder then export order.
 * `typed` selects which `@kgo/typed` group-version subpaths are included (its root and `./all` always are).
 */
export function publishedEntryPoints(root: string, typed: TypedSelection = 'all'): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const packageDir = join(root, 'packages', name);
    const manifestPath = join(packageDir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.private || !manifest.exports) continue;
    for (const entry of exportEntries(manifest.name, manifest.exports, packageDir, '@kgo/source')) {
      const fromWildcard = !(entry.subpath in manifest.exports);
      if (fromWildcard && manifest.name === '@kgo/typed' && typed !== 'all' && !typed.includes(entry.subpath.slice(2))) continue;
      entries.push({ packageName: manifest.name, packageDir: `packages/${name}`, specifier: entry.specifier, sourceFile: join(packageDir, entry.target) });
    }
  }
  return entries;
}

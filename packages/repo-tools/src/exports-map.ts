/**
 * The entry points a package's `exports` map offers, expanded: what the package hygiene checks (types, API report)
 * and the API reference (docs/) walk. Wildcard subpaths (`"./*"`, @kgo/typed's group-versions) are expanded over the
 * files on disk, with `*` spanning folders as in Node's resolution (`./core/v1`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The `exports` field as kgo writes it: subpath → target or conditions → target. */
export type ExportsField = Record<string, string | Record<string, string>>;

/** One importable subpath and the file a condition maps it to. */
export interface ExportEntry {
  /** The subpath key: `.`, `./meta`, `./core/v1` (a wildcard already expanded). */
  subpath: string;
  /** What an app imports: `@kgo/rest`, `@kgo/rest/meta`, `@kgo/typed/core/v1`. */
  specifier: string;
  /** The target for the condition, relative to the package folder: `./dist/index.d.ts`. */
  target: string;
}

/** Every file under `dir`, as posix paths relative to it, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : entry.isFile() ? [`${prefix}${entry.name}`] : [],
    );
}

/** The subpath and target pairs a wildcard export matches among the package's files. */
export function expandWildcard(packageDir: string, subpath: string, target: string): Array<{ subpath: string; target: string }> {
  const star = target.indexOf('*');
  const before = target.slice(0, star);
  const after = target.slice(star + 1);
  const base = before.slice(0, before.lastIndexOf('/') + 1); // "./dist/generated/"
  return listFiles(join(packageDir, base))
    .map((file) => `${base}${file}`)
    .filter((file) => file.startsWith(before) && file.endsWith(after) && file.length > before.length + after.length)
    .map((file) => ({ subpath: subpath.replace('*', file.slice(before.length, file.length - after.length)), target: file }));
}

/**
 * The entry points of a package for one condition (`types`, `import`, `@kgo/source`), in `exports` order; wildcards
 * expanded over `packageDir`. `./package.json` is left out. A subpath without that condition is an error: every kgo
 * entry point has `@kgo/source`, `types` and `import`.
 */
export function exportEntries(packageName: string, exportsField: ExportsField, packageDir: string, condition: string): ExportEntry[] {
  const entries: ExportEntry[] = [];
  for (const [subpath, value] of Object.entries(exportsField)) {
    if (subpath === './package.json') continue;
    const target = typeof value === 'string' ? value : value[condition];
    if (!target) throw new Error(`${packageName}: export "${subpath}" has no "${condition}" condition`);
    const expanded = subpath.includes('*') ? expandWildcard(packageDir, subpath, target) : [{ subpath, target }];
    for (const entry of expanded) {
      entries.push({ ...entry, specifier: entry.subpath === '.' ? packageName : `${packageName}/${entry.subpath.slice(2)}` });
    }
  }
  return entries;
}

/**
 * Writes one site page per package (docs/packages/<name>.md, not committed) from its README, which stays the single
 * source: the README is what npm and a code host show, and on the site it is the package's getting-started page.
 * Links keep working because the page names its README in `source` frontmatter (see .vitepress/repo-links.ts), and
 * each published package's page ends with links to its API reference, one per entry point.
 *
 * Usage: node scripts/package-pages.ts
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedEntryPoints, typedSelectionFromEnv } from './entry-points.ts';
import { apiPagePath } from './site-paths.ts';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const root = resolve(docsDir, '..');
const outDir = join(docsDir, 'packages');

/** The page for one package: frontmatter, the README as it is, and the API reference links. */
export function packagePage(name: string, readme: string, apiEntries: readonly string[]): string {
  const lines = [
    '---',
    `source: packages/${name}/README.md`,
    '---',
    '',
    `<!-- Generated from packages/${name}/README.md by docs/scripts/package-pages.ts: edit the README, not this file. -->`,
    '',
    readme.trimEnd(),
    '',
  ];
  if (apiEntries.length > 0) {
    lines.push('## API reference', '');
    for (const specifier of apiEntries) lines.push(`- [\`${specifier}\`](../${apiPagePath(specifier)})`);
    lines.push('');
  }
  return lines.join('\n');
}

const entries = publishedEntryPoints(root, typedSelectionFromEnv());
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let count = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const readmePath = join(root, 'packages', name, 'README.md');
  if (!existsSync(readmePath)) continue;
  const apiEntries = entries.filter((entry) => entry.packageDir === `packages/${name}`).map((entry) => entry.specifier);
  writeFileSync(join(outDir, `${name}.md`), packagePage(name, readFileSync(readmePath, 'utf8'), apiEntries));
  count++;
}
console.log(`package-pages: ${count} pages → docs/packages`);

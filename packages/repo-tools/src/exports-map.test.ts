import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportEntries, expandWildcard } from './exports-map.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function packageWith(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'kgo-exports-'));
  dirs.push(dir);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  return dir;
}

describe('exportEntries', () => {
  it('lists each subpath with its target for the condition, named as an app imports it', () => {
    const exportsField = {
      '.': { '@kgo/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' },
      './meta': { '@kgo/source': './src/meta/index.ts', types: './dist/meta/index.d.ts', import: './dist/meta/index.js' },
      './package.json': './package.json',
    };
    expect(exportEntries('@kgo/rest', exportsField, '/nowhere', 'types')).toEqual([
      { subpath: '.', specifier: '@kgo/rest', target: './dist/index.d.ts' },
      { subpath: './meta', specifier: '@kgo/rest/meta', target: './dist/meta/index.d.ts' },
    ]);
  });

  it('expands a wildcard over the files on disk, with * spanning folders, and matches nothing else', () => {
    const dir = packageWith([
      'dist/generated/core/v1/index.d.ts',
      'dist/generated/apps/v1/index.d.ts',
      'dist/generated/apimachinery/index.d.ts',
      'dist/generated/core/v1/types.d.ts',
      'dist/generated/all.d.ts',
      'dist/index.d.ts',
    ]);
    const entries = exportEntries('@kgo/typed', { './*': { types: './dist/generated/*/index.d.ts' } }, dir, 'types');
    expect(entries.map((entry) => entry.specifier)).toEqual(['@kgo/typed/apimachinery', '@kgo/typed/apps/v1', '@kgo/typed/core/v1']);
    expect(entries[2]).toEqual({ subpath: './core/v1', specifier: '@kgo/typed/core/v1', target: './dist/generated/core/v1/index.d.ts' });
  });

  it('expands a wildcard to nothing when its folder is missing (an unbuilt package)', () => {
    expect(expandWildcard(packageWith([]), './*', './dist/generated/*/index.js')).toEqual([]);
  });

  it('refuses a subpath without the condition, naming package and subpath', () => {
    expect(() => exportEntries('@kgo/x', { './y': { import: './y.js' } }, '/nowhere', 'types')).toThrow('@kgo/x: export "./y" has no "types" condition');
  });
});

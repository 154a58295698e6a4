import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pack } from '../test/consumer-project.ts';
import { isWorkspaceSourceCondition, publintTarball } from './publint-check.ts';
import { typesProblems } from './types-check.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Packs a small package shaped like a kgo package (with `pnpm pack`, as the hygiene check does). */
async function tarballOf(manifest: Record<string, unknown>, files: Record<string, string>): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'kgo-hygiene-pkg-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries({ 'package.json': JSON.stringify(manifest, null, 2), ...files })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const destination = mkdtempSync(join(tmpdir(), 'kgo-hygiene-tgz-'));
  dirs.push(destination);
  return new Uint8Array(readFileSync(await pack(dir, destination)));
}

const entry = (name: string) => ({ '@kgo/source': `./src/${name}.ts`, types: `./dist/${name}.d.ts`, import: `./dist/${name}.js` });

const goodManifest = {
  name: '@x/good',
  version: '1.0.0',
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  exports: {
    '.': entry('index'),
    './*': { '@kgo/source': './src/gen/*/index.ts', types: './dist/gen/*/index.d.ts', import: './dist/gen/*/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
};

const goodFiles = {
  'src/index.ts': 'export const a = 1;\n',
  'dist/index.js': 'export const a = 1;\n',
  'dist/index.d.ts': 'export declare const a = 1;\n',
  'dist/gen/core/v1/index.js': 'export const pod = 1;\n',
  'dist/gen/core/v1/index.d.ts': 'export declare const pod = 1;\n',
};

describe('the tarball checks', () => {
  it("pass a package shaped like kgo's (source condition, wildcard subpaths, ESM only)", async () => {
    const tarball = await tarballOf(goodManifest, goodFiles);
    expect(await publintTarball(tarball, goodManifest)).toEqual([]);
    expect(await typesProblems(tarball, ['.', './core/v1'])).toEqual([]);
  });

  it('report a types condition after import (publint) and a subpath whose types are missing (attw)', async () => {
    const manifest = {
      ...goodManifest,
      name: '@x/bad',
      exports: {
        '.': { import: './dist/index.js', types: './dist/index.d.ts' },
        './extra': entry('extra'),
        './package.json': './package.json',
      },
    };
    const tarball = await tarballOf(manifest, { ...goodFiles, 'dist/extra.js': 'export const b = 2;\n' });
    const lint = await publintTarball(tarball, manifest);
    expect(lint.join('\n')).toContain('EXPORTS_TYPES_SHOULD_BE_FIRST');
    const types = await typesProblems(tarball, ['.', './extra']);
    expect(types.join('\n')).toMatch(/attw \w+ \(\.\/extra, (node16-esm|bundler)\)/);
    expect(types.join('\n')).not.toContain('node10');
  });
});

describe('isWorkspaceSourceCondition', () => {
  it('excuses only an unmatched wildcard under the @kgo/source condition', () => {
    const message = (code: string, path: string[]) => ({ code, path, args: {}, type: 'warning' }) as Parameters<typeof isWorkspaceSourceCondition>[0];
    expect(isWorkspaceSourceCondition(message('EXPORTS_GLOB_NO_MATCHED_FILES', ['exports', './*', '@kgo/source']))).toBe(true);
    expect(isWorkspaceSourceCondition(message('EXPORTS_GLOB_NO_MATCHED_FILES', ['exports', './*', 'types']))).toBe(false);
    expect(isWorkspaceSourceCondition(message('FILE_DOES_NOT_EXIST', ['exports', '.', '@kgo/source']))).toBe(false);
  });
});

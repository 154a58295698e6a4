import { describe, expect, it } from 'vitest';
import { findImports, findOwnLocationUses } from './imports.ts';

describe('findImports', () => {
  it('finds every import form with its line', () => {
    const source = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import * as c from 'c';",
      "import 'd';",
      "export { e } from 'e';",
      "export * as f from 'f';",
      "export type * from 'g';",
      "const h = await import('h');",
      "type I = typeof import('i');",
      'import {',
      '  j,',
      '  type J,',
      "} from 'j';",
      "import from from 'k';",
      "import def, { l } from 'l' with { type: 'json' };",
    ].join('\n');
    expect(findImports(source)).toEqual([
      { specifier: 'a', line: 1 },
      { specifier: 'b', line: 2 },
      { specifier: 'c', line: 3 },
      { specifier: 'd', line: 4 },
      { specifier: 'e', line: 5 },
      { specifier: 'f', line: 6 },
      { specifier: 'g', line: 7 },
      { specifier: 'h', line: 8 },
      { specifier: 'i', line: 9 },
      { specifier: 'j', line: 13 },
      { specifier: 'k', line: 14 },
      { specifier: 'l', line: 15 },
    ]);
  });

  it('ignores what only looks like an import', () => {
    const source = [
      "// import a from 'a';",
      "/* export * from 'b' */",
      "const c = 'import c from \"c\"';",
      'const d = `${`import("d")`} ${ { x: 1 }.x } import e from "e"`;',
      'const f = /import g from "g"/.source;',
      "const meta = import.meta.url; loader.import('h'); export const i = 'i';",
      "export { j }; const k = 1 / 2; const from = 'l';",
    ].join('\n');
    expect(findImports(source)).toEqual([]);
  });

  it('keeps scanning after a template literal with substitutions', () => {
    expect(findImports("const a = `x${`y${1}`}z`;\nimport b from 'b';")).toEqual([{ specifier: 'b', line: 2 }]);
  });
});

describe('findOwnLocationUses', () => {
  it('finds import.meta locations, __dirname, __filename and createRequire, with lines', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      "const pkg = createRequire(import.meta.url)('../package.json');",
      'const here = import.meta.dirname ?? __dirname;',
      "const file = new URL('./data.bin', import.meta.url) + __filename;",
      "const dep = import.meta.resolve('ky');",
    ].join('\n');
    expect(findOwnLocationUses(source)).toEqual([
      { what: 'createRequire', line: 1 },
      { what: 'createRequire', line: 2 },
      { what: 'import.meta.url', line: 2 },
      { what: 'import.meta.dirname', line: 3 },
      { what: '__dirname', line: 3 },
      { what: 'import.meta.url', line: 4 },
      { what: '__filename', line: 4 },
      { what: 'import.meta.resolve', line: 5 },
    ]);
  });

  it('ignores comments, strings, other objects\' members and import.meta.main', () => {
    const source = [
      '// createRequire(import.meta.url) would read package.json',
      "const a = 'import.meta.url and __dirname';",
      'const b = module.createRequire + other.__dirname;',
      'if (import.meta.main) run();',
    ].join('\n');
    expect(findOwnLocationUses(source)).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiReports, type ReportPackage } from './api-report.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}

/** Two built packages: @x/lib (the one reported) re-exports from @x/other, linked as pnpm links workspace packages. */
function workspace(libIndex: string): ReportPackage {
  const root = mkdtempSync(join(tmpdir(), 'kgo-api-report-'));
  dirs.push(root);
  const manifest = (name: string) => JSON.stringify({ name, type: 'module', exports: { '.': { types: './dist/index.d.ts' } } });
  write(root, {
    'other/package.json': manifest('@x/other'),
    'other/dist/index.d.ts': 'export declare function shared(): void;\n',
    'lib/package.json': manifest('@x/lib'),
    'lib/dist/index.d.ts': libIndex,
    'lib/dist/helper.d.ts': 'export declare function helper(a: number): string;\n',
    'lib/dist/generated/types.d.ts': '/** A pod. */\nexport interface Pod {\n  /** Its name. */\n  name: string;\n  spec?: { x: number };\n}\n',
  });
  mkdirSync(join(root, 'lib/node_modules/@x'), { recursive: true });
  symlinkSync(join(root, 'other'), join(root, 'lib/node_modules/@x/other'), 'dir');
  return { name: '@x/lib', dir: join(root, 'lib'), entries: [{ specifier: '@x/lib', typesFile: join(root, 'lib/dist/index.d.ts') }] };
}

const LIB_INDEX = `/** A client. */
export declare class Client {
    #private;
    /** Makes one. */
    constructor(host: string);
    get(name: string): Promise<number>;
}
export { shared } from '@x/other';
export { helper as renamed } from './helper.js';
export declare const VERSION: string;
export type * from './generated/types.js';
`;

const summarize = (file: string) => file.endsWith('/generated/types.d.ts');

describe('apiReports', () => {
  it('lists every export sorted by name, declarations without comments, re-exports as one line', () => {
    const pkg = workspace(LIB_INDEX);
    const report = apiReports([pkg], { summarize }).get('@x/lib')!;
    expect(report).toContain('# API report: @x/lib');
    expect(report).toContain('## `@x/lib`');
    expect(report).toContain('export declare class Client {\n    #private;\n    constructor(host: string);\n    get(name: string): Promise<number>;\n}');
    expect(report).not.toContain('A client.');
    expect(report).toContain("export { shared } from '@x/other';");
    expect(report).toContain('// exported as renamed\nexport declare function helper(a: number): string;');
    expect(report).toContain('export declare const VERSION: string;');
    const order = ['class Client', 'interface Pod', 'const VERSION', 'exported as renamed', 'export { shared }'].map((text) => report.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('lists the interfaces of summarized files by member names', () => {
    const report = apiReports([workspace(LIB_INDEX)], { summarize }).get('@x/lib')!;
    expect(report).toContain('export interface Pod { name; spec; }');
    expect(apiReports([workspace(LIB_INDEX)]).get('@x/lib')).toContain('export interface Pod {\n    name: string;');
  });

  it('changes when a signature changes, and only then', () => {
    const before = apiReports([workspace(LIB_INDEX)]).get('@x/lib');
    expect(apiReports([workspace(LIB_INDEX.replace('/** Makes one. */', '/** Makes a client. */'))]).get('@x/lib')).toBe(before);
    expect(apiReports([workspace(LIB_INDEX.replace('get(name: string)', 'get(name: string, namespace?: string)'))]).get('@x/lib')).not.toBe(before);
  });

  it('fails naming the entry when its .d.ts is missing', () => {
    const pkg = workspace(LIB_INDEX);
    const missing = { ...pkg, entries: [{ specifier: '@x/lib/extra', typesFile: join(pkg.dir, 'dist/extra.d.ts') }] };
    expect(() => apiReports([missing])).toThrow('@x/lib/extra');
  });
});

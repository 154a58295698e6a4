/**
 * A package's public API report: every export of every entry point, with its declaration as the built `.d.ts` has
 * it (comments dropped), in one Markdown file per package that is committed, so a change of the public API shows in
 * review as a change of that file (what api-extractor's `.api.md` does, for a package with many entry points).
 *
 * Exports are sorted by name; a re-export from another package is one line naming that package. Declarations from
 * files that `summarize` selects (the generated Kubernetes types of @kgo/typed, whose full text is the committed
 * generator output already) are listed with their member names only.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** One entry point to report: its import specifier and its `.d.ts` (absolute path). */
export interface ReportEntry {
  specifier: string;
  typesFile: string;
}

/** A package to report on. */
export interface ReportPackage {
  name: string;
  /** The package folder (absolute). */
  dir: string;
  entries: readonly ReportEntry[];
}

/** Options of {@link apiReports}. */
export interface ApiReportOptions {
  /** Files (absolute `.d.ts` paths) whose interfaces are listed by member names only. */
  summarize?: (fileName: string) => boolean;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

// Only the export tables are read, never a type: no default library and no @types, which would only add seconds of
// parsing (an unresolved global such as `AbortSignal` is printed as written all the same).
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noEmit: true,
  noLib: true,
  types: [],
};

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The name of the package a file belongs to (nearest package.json with a name), for re-export lines. */
function owningPackage(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  }
  return undefined;
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.split(sep).includes('node_modules');
}

/** The statement to print for a declaration: a variable's whole `declare const` statement, else the node itself. */
function printable(declaration: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && ts.isVariableStatement(declaration.parent.parent)) {
    return declaration.parent.parent;
  }
  return declaration;
}

function memberNames(declaration: ts.InterfaceDeclaration): string {
  const names = declaration.members.map((member) => (member.name ? member.name.getText() : ts.SyntaxKind[member.kind]));
  return names.length === 0 ? '{}' : `{ ${names.join('; ')}; }`;
}

function printDeclaration(declaration: ts.Declaration, summarize: boolean): string {
  const source = declaration.getSourceFile();
  if (summarize && ts.isInterfaceDeclaration(declaration)) {
    const heritage = declaration.heritageClauses?.map((clause) => ` ${clause.getText()}`).join('') ?? '';
    const typeParameters = declaration.typeParameters ? `<${declaration.typeParameters.map((p) => p.getText()).join(', ')}>` : '';
    return `export interface ${declaration.name.text}${typeParameters}${heritage} ${memberNames(declaration)}`;
  }
  return printer.printNode(ts.EmitHint.Unspecified, printable(declaration), source).trim();
}

function reportEntry(checker: ts.TypeChecker, program: ts.Program, pkg: ReportPackage, entry: ReportEntry, options: ApiReportOptions): string {
  const source = program.getSourceFile(entry.typesFile);
  if (!source) throw new Error(`${entry.specifier}: ${entry.typesFile} is missing. Run \`pnpm build\` first.`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const blocks: string[] = [];
  const packageDir = realpathSync(pkg.dir);
  for (const symbol of [...exports].sort((a, b) => byName(a.name, b.name))) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = target.declarations ?? [];
    const files = declarations.map((declaration) => realpathSync(declaration.getSourceFile().fileName));
    const foreign = files.find((file) => !isInside(file, packageDir));
    if (foreign) {
      const from = owningPackage(foreign) ?? relative(packageDir, foreign);
      blocks.push(`export { ${target.name === symbol.name ? symbol.name : `${target.name} as ${symbol.name}`} } from '${from}';`);
      continue;
    }
    const renamed = target.name !== symbol.name && target.name !== 'default' ? `// exported as ${symbol.name}\n` : '';
    const printed = declarations.map((declaration, i) => printDeclaration(declaration, options.summarize?.(files[i]!) ?? false));
    blocks.push(`${renamed}${printed.join('\n')}`);
  }
  return [`## \`${entry.specifier}\``, '', '```ts', blocks.join('\n\n'), '```', ''].join('\n');
}

/** The report of each package, by package name: Markdown, ending in a newline. */
export function apiReports(packages: readonly ReportPackage[], options: ApiReportOptions = {}): Map<string, string> {
  const rootNames = packages.flatMap((pkg) => pkg.entries.map((entry) => entry.typesFile));
  const program = ts.createProgram({ rootNames, options: compilerOptions });
  const checker = program.getTypeChecker();
  const reports = new Map<string, string>();
  for (const pkg of packages) {
    const header = [
      `# API report: ${pkg.name}`,
      '',
      '<!-- Generated from the built .d.ts files by packages/repo-tools/src/package-hygiene-cli.ts. Do not edit:',
      '     run `pnpm api:update` and commit the result with the change to the public API. -->',
      '',
      `${pkg.entries.length} entry point${pkg.entries.length === 1 ? '' : 's'}; every export, sorted by name, as the published types declare it.`,
      '',
    ];
    const sections = pkg.entries.map((entry) => reportEntry(checker, program, pkg, entry, options));
    reports.set(pkg.name, `${[...header, ...sections].join('\n').trimEnd()}\n`);
  }
  return reports;
}

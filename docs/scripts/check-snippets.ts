/**
 * Type-checks the TypeScript examples of the hand-written guide pages, so the docs cannot drift from the API: every
 * ```ts block of the pages below is compiled as a module of its own against the workspace's @kgo packages (their
 * sources, through the `@kgo/source` condition), strict, top-level await allowed. An error is reported at its line in
 * the Markdown file.
 *
 * Usage: node scripts/check-snippets.ts   (part of `pnpm --filter @kgo/docs typecheck`)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { extractSnippets, type Snippet } from './snippets.ts';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
/** The pages whose examples are complete programs (the design notes quote fragments, and are not checked). */
const CHECKED = ['index.md', 'guide', 'concepts.md', 'migration', 'recipes', 'reliability.md'];

function markdownFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return path.endsWith('.md') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => markdownFiles(join(path, entry)));
}

const snippets: Snippet[] = CHECKED.flatMap((entry) => markdownFiles(join(docsDir, entry))).flatMap((file) =>
  extractSnippets(readFileSync(file, 'utf8'), relative(docsDir, file), join(docsDir, '.snippets')),
);
const byFile = new Map(snippets.map((snippet) => [resolve(snippet.fileName), snippet]));

const base = ts.readConfigFile(join(docsDir, '..', 'tsconfig.base.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, join(docsDir, '..'));
// Examples may name a value only to show it; everything else is as strict as the packages.
const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };

const host = ts.createCompilerHost(compilerOptions);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
  const snippet = byFile.get(resolve(fileName));
  return snippet ? ts.createSourceFile(fileName, snippet.code, languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
};
const fileExists = host.fileExists.bind(host);
host.fileExists = (fileName) => byFile.has(resolve(fileName)) || fileExists(fileName);
const readFile = host.readFile.bind(host);
host.readFile = (fileName) => byFile.get(resolve(fileName))?.code ?? readFile(fileName);

const started = performance.now();
const program = ts.createProgram({ rootNames: [...byFile.keys()], options: compilerOptions, host });
const diagnostics = ts.getPreEmitDiagnostics(program).filter((diagnostic) => diagnostic.file && byFile.has(resolve(diagnostic.file.fileName)));
for (const diagnostic of diagnostics) {
  const snippet = byFile.get(resolve(diagnostic.file!.fileName))!;
  const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  console.error(`docs/${snippet.page}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
}
const pages = new Set(snippets.map((snippet) => snippet.page)).size;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (diagnostics.length > 0) {
  console.error(`check-snippets: ${diagnostics.length} error(s) in the examples of ${pages} pages (${seconds} s).`);
  process.exitCode = 1;
} else {
  console.log(`check-snippets: ${snippets.length} examples in ${pages} pages type-check (${seconds} s).`);
}

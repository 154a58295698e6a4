/**
 * A small, dependency-free import scanner for TypeScript source text.
 *
 * It lexes just enough of the language (comments, strings, template literals, regex literals,
 * words and punctuation) that text inside comments, strings and regexes is never mistaken for
 * an import. A regex over raw text would flag `"import x from 'y'"` written inside a string (as
 * the DAG check's own tests do), or miss imports after a `'//'` string.
 */

/** One module specifier found in source text. */
export interface ImportSite {
  /** The module specifier, e.g. `'@kgo/rest'` or `'./status.ts'`, without quotes. */
  specifier: string;
  /** 1-based line of the specifier. */
  line: number;
}

interface Token {
  kind: 'word' | 'string' | 'template' | 'number' | 'punct' | 'regex';
  value: string;
  offset: number;
}

const TRIVIA = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))+/y;
const WORD = /[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/y;
const NUMBER = /\.?\d[\w.]*/y;
const STRING = /'(?:[^'\\\n]|\\[\s\S])*'|"(?:[^"\\\n]|\\[\s\S])*"/y;
const TEMPLATE_CHUNK = /(?:[^`\\$]|\\[\s\S]|\$(?!\{))*/y;
const REGEX = /\/(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[A-Za-z]*/y;
// After these words a `/` starts a regex literal rather than a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);
// Tokens that may appear between `import`/`export` and `from` in an import/export clause.
const CLAUSE_PUNCT = new Set(['{', '}', ',', '*']);

function matchAt(pattern: RegExp, text: string, offset: number): string | undefined {
  pattern.lastIndex = offset;
  return pattern.exec(text)?.[0];
}

function regexAllowedAfter(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === 'word') return KEYWORDS_BEFORE_EXPRESSION.has(previous.value);
  if (previous.kind === 'punct') return ![')', ']', '}'].includes(previous.value);
  return false;
}

const PATTERNS = [['string', STRING], ['word', WORD], ['number', NUMBER]] as const;

function nextToken(text: string, offset: number, previous: Token | undefined): Token {
  const char = text[offset]!;
  if (char === '/' && regexAllowedAfter(previous)) {
    const regex = matchAt(REGEX, text, offset);
    if (regex) return { kind: 'regex', value: regex, offset };
  }
  for (const [kind, pattern] of PATTERNS) {
    const value = matchAt(pattern, text, offset);
    if (value) return { kind, value, offset };
  }
  return { kind: 'punct', value: char, offset };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Brace depth at which each open `${` of a template literal resumes the template.
  const templateResume: number[] = [];
  let depth = 0;
  let offset = 0;

  // Skips template text from `start` up to the closing backtick or the next `${`.
  const readTemplate = (start: number): number => {
    const end = start + (matchAt(TEMPLATE_CHUNK, text, start)?.length ?? 0);
    if (text.startsWith('${', end)) {
      templateResume.push(depth);
      return end + 2;
    }
    tokens.push({ kind: 'template', value: '', offset: start });
    return Math.min(end + 1, text.length);
  };

  while (offset < text.length) {
    const trivia = matchAt(TRIVIA, text, offset);
    if (trivia) {
      offset += trivia.length;
      continue;
    }
    const char = text[offset];
    if (char === '`') {
      offset = readTemplate(offset + 1);
      continue;
    }
    if (char === '}' && templateResume.at(-1) === depth) {
      templateResume.pop();
      offset = readTemplate(offset + 1);
      continue;
    }
    const token = nextToken(text, offset, tokens.at(-1));
    if (token.value === '{') depth++;
    if (token.value === '}') depth--;
    tokens.push(token);
    offset += token.value.length;
  }
  return tokens;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/**
 * Finds every module specifier imported by TypeScript source text: static `import … from`,
 * side-effect `import '…'`, `import type`, `export … from`, and dynamic `import('…')` (also
 * `typeof import('…')` in types). Only string-literal specifiers are reported.
 */
export function findImports(text: string): ImportSite[] {
  const tokens = tokenize(text);
  const lineOf = lineIndex(text);
  const sites: ImportSite[] = [];
  const record = (token: Token) => sites.push({ specifier: token.value.slice(1, -1), line: lineOf(token.offset) });

  // Records the `from '…'` that ends an import/export clause starting at `start`, if any.
  const scanClause = (start: number) => {
    for (let i = start; i < tokens.length; i++) {
      const token = tokens[i]!;
      const next = tokens[i + 1];
      if (token.kind === 'word' && token.value === 'from' && i > start && next?.kind === 'string') {
        record(next);
        return;
      }
      if (token.kind !== 'word' && !(token.kind === 'punct' && CLAUSE_PUNCT.has(token.value))) return;
    }
  };

  tokens.forEach((token, i) => {
    if (token.kind !== 'word' || tokens[i - 1]?.value === '.') return; // `x.import(` is a method
    const next = tokens[i + 1];
    if (token.value === 'import') {
      if (next?.value === '(') {
        const argument = tokens[i + 2];
        if (argument?.kind === 'string') record(argument);
      } else if (next?.kind === 'string') {
        record(next);
      } else if (next !== undefined && next.value !== '.') {
        scanClause(i + 1); // `import.meta` is excluded above
      }
    } else if (token.value === 'export') {
      const afterType = next?.value === 'type' ? tokens[i + 2] : next;
      if (afterType?.value === '{' || afterType?.value === '*') scanClause(i + 1);
    }
  });
  return sites;
}

/** A use of the module's own location, found by {@link findOwnLocationUses}. */
export interface LocationUse {
  /** What the code uses: `import.meta.url`, `__dirname`, `createRequire`, … */
  what: string;
  /** 1-based line. */
  line: number;
}

const IMPORT_META_LOCATION = new Set(['url', 'dirname', 'filename', 'resolve']);
const LOCATION_WORDS = new Set(['__dirname', '__filename', 'createRequire']);

/**
 * Finds the places where code reaches for its own file's location, the first step to reading a
 * file that ships next to it: `import.meta.url|dirname|filename|resolve`, `__dirname`,
 * `__filename` and `createRequire`. Comments and strings are skipped, as for imports.
 */
export function findOwnLocationUses(text: string): LocationUse[] {
  const tokens = tokenize(text);
  const lineOf = lineIndex(text);
  const uses: LocationUse[] = [];
  tokens.forEach((token, i) => {
    if (token.kind !== 'word' || tokens[i - 1]?.value === '.') return; // `x.createRequire` is someone else's
    if (LOCATION_WORDS.has(token.value)) uses.push({ what: token.value, line: lineOf(token.offset) });
    const [dot, meta, dot2, field] = tokens.slice(i + 1, i + 5);
    if (token.value === 'import' && dot?.value === '.' && meta?.value === 'meta' && dot2?.value === '.' && field && IMPORT_META_LOCATION.has(field.value)) {
      uses.push({ what: `import.meta.${field.value}`, line: lineOf(token.offset) });
    }
  });
  return uses;
}

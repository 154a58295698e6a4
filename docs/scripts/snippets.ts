/** The ```ts examples of a Markdown page, as modules for the type checker. */
import { join } from 'node:path';

/** One example: its code, where it starts in the page, and the module file name it is checked as. */
export interface Snippet {
  /** The page, relative to docs/: `recipes/pagination.md`. */
  page: string;
  /** The line of the page where the code starts (1-based: the line after the opening fence). */
  line: number;
  code: string;
  fileName: string;
}

const OPEN = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/;

/** A comment on the line before a block that leaves it out, saying why (code that needs generated files, say). */
const SKIP = /^\s*<!--\s*not type-checked\b.*-->\s*$/;

/**
 * The TypeScript blocks of `markdown` (fences whose language is `ts` or `typescript`), each a module named after the
 * page and its position under `dir`. Blocks in other languages, ts blocks inside them, and blocks right after a
 * `<!-- not type-checked: why -->` line are left alone.
 */
export function extractSnippets(markdown: string, page: string, dir: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const marker = fence[1]!;
    const open = OPEN.exec(lines[i]!);
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.trim().startsWith(marker) && lines[end]!.trim().replace(/[`~]/g, '') === '')) end++;
    if (open && !(i > 0 && SKIP.test(lines[i - 1]!))) {
      const stem = page.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
      snippets.push({
        page,
        line: i + 2,
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
        fileName: join(dir, `${stem}-${snippets.length + 1}.ts`),
      });
    }
    i = end;
  }
  return snippets;
}

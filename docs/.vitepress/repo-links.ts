/**
 * A markdown-it plugin that makes links written for the repository work on the site.
 *
 * The Markdown files are written to be read on a code host too: `docs/testing.md` links `../packages/envtest`, a
 * package README links `../../docs/architecture.md#…` and its own `src/…` files. On the site, each relative link is
 * resolved against the file it was written in (the page's `source` frontmatter for pages copied from a README) and:
 * - a file under `docs/` becomes a link to that page (a folder's README.md: its index.md);
 * - a package folder or its README becomes a link to the package's page (`docs/packages/<name>.md`);
 * - the root README becomes the home page;
 * - any other file of the repository becomes a link into the repository when `KGO_DOCS_REPO_URL` is set
 *   (`<url>/blob/main/<path>`), or plain text naming the path when it is not: the site has no copy of it, and a
 *   link to nowhere is worse than none.
 */
import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';

/** What the rewriting needs to know about the repository. */
export interface RepoLinkOptions {
  /** The repository root on disk. */
  root: string;
  /** Folder names under `packages/` that have a page at `docs/packages/<name>.md`. */
  packagePages: ReadonlySet<string>;
  /** Base URL of the repository on a code host, e.g. `https://example.com/org/kgo`; none: plain text. */
  repoUrl?: string;
}

/** Where a link resolved to, in site terms. */
export type LinkTarget =
  | { kind: 'page'; href: string }
  | { kind: 'repo'; path: string; href?: string }
  | { kind: 'unchanged' };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Resolves `href`, written in the repository file `sourcePath` (posix, relative to the root), for the page at
 * `pagePath` (posix, relative to the root: `docs/…`). Pure apart from checking whether a path is a folder.
 */
export function resolveRepoLink(href: string, sourcePath: string, pagePath: string, options: RepoLinkOptions): LinkTarget {
  if (href === '' || href.startsWith('#') || href.startsWith('/') || SCHEME.test(href)) return { kind: 'unchanged' };
  const hashAt = href.indexOf('#');
  const pathPart = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const hash = hashAt >= 0 ? href.slice(hashAt) : '';
  const target = posix.normalize(posix.join(posix.dirname(sourcePath), decodeURI(pathPart))).replace(/\/$/, '');
  if (target.startsWith('..')) return { kind: 'unchanged' }; // outside the repository: leave it to the checkers
  const fromPage = (sitePath: string): LinkTarget => {
    const relative = posix.relative(posix.dirname(pagePath), sitePath);
    return { kind: 'page', href: `${relative.startsWith('.') ? relative : `./${relative}`}${hash}` };
  };

  if (target === 'README.md') return fromPage('docs/index.md');
  const packageMatch = /^packages\/([^/]+)(?:\/README\.md)?$/.exec(target);
  if (packageMatch && options.packagePages.has(packageMatch[1]!)) return fromPage(`docs/packages/${packageMatch[1]}.md`);
  if (target.startsWith('docs/') || target === 'docs') {
    const isFolder = !target.endsWith('.md') && isDirectory(posix.join(options.root, target));
    if (isFolder) return fromPage(`${target}/index.md`);
    // A folder's README is its index on a code host; on the site, index.md is (the READMEs are not built).
    if (target.endsWith('/README.md')) return fromPage(target.replace(/README\.md$/, 'index.md'));
    if (sourcePath === pagePath) return { kind: 'unchanged' }; // written for this very place: VitePress checks it
    return fromPage(target);
  }
  if (!options.repoUrl) return { kind: 'repo', path: target };
  const kind = isDirectory(posix.join(options.root, target)) ? 'tree' : 'blob';
  return { kind: 'repo', path: target, href: `${options.repoUrl.replace(/\/$/, '')}/${kind}/main/${target}${hash}` };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface MarkdownEnv {
  relativePath?: string;
  frontmatter?: { source?: unknown };
}

/** The plugin: rewrites link tokens after inline parsing, before VitePress' own link handling and dead-link check. */
export function repoLinks(md: MarkdownIt, options: RepoLinkOptions): void {
  md.core.ruler.push('kgo_repo_links', (state) => {
    const env = state.env as MarkdownEnv;
    if (!env.relativePath) return;
    const pagePath = `docs/${env.relativePath}`;
    const source = typeof env.frontmatter?.source === 'string' ? env.frontmatter.source : pagePath;
    for (const block of state.tokens) {
      const children = block.children;
      if (!children) continue;
      const openStack: number[] = [];
      for (let i = 0; i < children.length; i++) {
        const token = children[i]!;
        if (token.type === 'link_open') {
          const href = token.attrGet('href') ?? '';
          const target = resolveRepoLink(href, source, pagePath, options);
          if (target.kind === 'page') token.attrSet('href', target.href);
          if (target.kind === 'repo' && target.href) token.attrSet('href', target.href);
          if (target.kind === 'repo' && !target.href) {
            token.type = 'html_inline';
            token.tag = '';
            token.content = `<span class="repo-path" title="${escapeHtml(`${target.path} in the kgo repository`)}">`;
            openStack.push(-1);
          } else {
            openStack.push(i);
          }
        } else if (token.type === 'link_close') {
          if (openStack.pop() === -1) {
            token.type = 'html_inline';
            token.tag = '';
            token.content = '</span>';
          }
        }
      }
    }
  });
}

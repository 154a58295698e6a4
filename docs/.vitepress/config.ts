/**
 * The kgo documentation site. `pnpm docs:build` first writes the generated pages (docs/scripts/: the API reference
 * from TSDoc, one page per package from its README, the benchmark charts), then VitePress builds the site into
 * docs/dist, and `pnpm docs:links` checks every link and anchor in it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
import { githubSlug } from './github-slug.ts';
import { repoLinks } from './repo-links.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = (path: string) => new URL(`../${path}`, import.meta.url);

/** Every page of the API reference (written by scripts/api-reference.ts, one per entry point), grouped by package. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const dir = docs('api/@kgo/');
  if (!existsSync(dir)) return [];
  const specifiers = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => `@kgo/${file.replace(/\\/g, '/').replace(/\.md$/, '')}`)
    .sort();
  // A package is an entry linking its root page, with its other entry points (`meta`, `core/v1`) below it.
  const byPackage = new Map<string, DefaultTheme.SidebarItem[]>();
  for (const specifier of specifiers) {
    const name = specifier.split('/').slice(0, 2).join('/');
    const items = byPackage.get(name) ?? [];
    if (specifier !== name) items.push({ text: specifier.slice(name.length + 1), link: `/api/${specifier}` });
    byPackage.set(name, items);
  }
  return [
    { text: 'API reference', link: '/api/' },
    ...[...byPackage].map(([text, items]) =>
      items.length === 0 ? { text, link: `/api/${text}` } : { text, link: `/api/${text}`, collapsed: items.length > 8, items },
    ),
  ];
}

const packagePages = new Set(existsSync(docs('packages')) ? readdirSync(docs('packages')).map((file) => file.replace(/\.md$/, '')) : []);

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guide',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'Concepts', link: '/concepts' },
    ],
  },
  {
    text: 'Packages',
    items: ['rest', 'kubeconfig', 'discovery', 'discovery-cache', 'typed', 'dynamic', 'informer', 'envtest'].map((name) => ({
      text: `@kgo/${name}`,
      link: `/packages/${name}`,
    })),
  },
  {
    text: 'Recipes',
    items: [
      { text: 'Overview', link: '/recipes/' },
      { text: 'Watch with resume', link: '/recipes/watch-resume' },
      { text: 'A controller: informer + workqueue', link: '/recipes/controller' },
      { text: 'Server-side apply', link: '/recipes/server-side-apply' },
      { text: 'Exec credential plugins', link: '/recipes/exec-plugins' },
      { text: 'In-cluster config', link: '/recipes/in-cluster' },
      { text: 'Custom resources (CRDs)', link: '/recipes/crds' },
      { text: 'Pagination', link: '/recipes/pagination' },
      { text: 'Error handling', link: '/recipes/error-handling' },
      { text: 'Apply any YAML', link: '/recipes/apply-yaml' },
    ],
  },
  {
    text: 'Migrating',
    items: [
      { text: 'From client-go', link: '/migration/client-go' },
      { text: 'From @kubernetes/client-node', link: '/migration/client-node' },
    ],
  },
  {
    text: 'Performance and reliability',
    items: [
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Reliability', link: '/reliability' },
      { text: 'The benchmark harness', link: '/packages/benchmarks' },
    ],
  },
  {
    text: 'Design notes',
    collapsed: true,
    items: [
      { text: 'Architecture', link: '/architecture' },
      { text: 'Module format (ESM only)', link: '/module-format' },
      { text: 'Bundling', link: '/bundling' },
      { text: 'Testing', link: '/testing' },
      { text: '@kgo/rest design', link: '/rest' },
      { text: '@kgo/typed design', link: '/typed' },
      { text: 'Repository checks', link: '/packages/repo-tools' },
      { text: 'About these docs', link: '/about' },
    ],
  },
];

export default defineConfig({
  title: 'kgo',
  description: "Kubernetes' client-go, rebuilt for TypeScript: small @kgo/* packages with client-go's semantics.",
  outDir: 'dist',
  // README.md is the folder's index on a code host; the site's is index.md.
  srcExclude: ['README.md', 'scripts/**', 'dist/**', 'node_modules/**'],
  lastUpdated: false,
  // The API pages of the larger Kubernetes group-versions are big by nature (core/v1: ~1.5 MB of HTML, like its
  // pkg.go.dev page); Vite's 500 kB advice is for application code.
  vite: { build: { chunkSizeWarningLimit: 4096 } },
  markdown: {
    anchor: { slugify: githubSlug },
    config: (md) => repoLinks(md, { root, packagePages, repoUrl: process.env.KGO_DOCS_REPO_URL }),
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Recipes', link: '/recipes/' },
      { text: 'Migrating', link: '/migration/client-go' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: { '/api/': apiSidebar(), '/': guide },
    outline: { level: [2, 3] },
    search: {
      provider: 'local',
      options: {
        // The generated types of every Kubernetes group-version (the @kgo/typed/<group>/<version> pages, 2 MB of
        // text) would triple the search index; their pages are one click from the API reference's sidebar.
        _render(src, env, md) {
          if (/^api\/@kgo\/typed\/.+\//.test(env.relativePath)) return '';
          return md.render(src, env);
        },
      },
    },
    footer: { message: 'kgo — Apache-2.0' },
  },
});

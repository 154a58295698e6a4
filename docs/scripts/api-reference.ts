/**
 * Generates the API reference (docs/api/, not committed) from the TSDoc of every published package's sources with
 * TypeDoc, as Markdown pages for VitePress (typedoc-plugin-markdown), one page per entry point; the site's sidebar
 * lists the pages (.vitepress/config.ts).
 *
 * Usage: node scripts/api-reference.ts  (KGO_DOCS_TYPED=core/v1,apps/v1 documents only those @kgo/typed group-versions)
 *
 * Each module is named after what an app imports (`@kgo/rest/meta`, `@kgo/typed/core/v1`), not after its file.
 * The run fails on any TypeDoc warning (a broken `{@link}`, an unresolvable type), so the reference stays whole.
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, type DeclarationReflection, LogLevel, ReflectionKind } from 'typedoc';
import { publishedEntryPoints, typedSelectionFromEnv } from './entry-points.ts';
import { repairFence } from './repair-fence.ts';

const docsDir = fileURLToPath(new URL('..', import.meta.url));
const root = resolve(docsDir, '..');
const out = resolve(docsDir, 'api');

const kubernetesVersion = (JSON.parse(readFileSync(resolve(root, 'packages/typed/package.json'), 'utf8')) as { kubernetes: { version: string } })
  .kubernetes.version;

/** `](/pkg/…)` → `](https://github.com/kubernetes/kubernetes/blob/v<version>/pkg/…)`. */
function upstreamLinks(text: string): string {
  return text.replace(/\]\(\/(?!\/)/g, `](https://github.com/kubernetes/kubernetes/blob/v${kubernetesVersion}/`);
}

const started = performance.now();
const entries = publishedEntryPoints(root, typedSelectionFromEnv());
const specifierByFile = new Map(entries.map((entry) => [resolve(entry.sourceFile), entry.specifier]));

const app = await Application.bootstrapWithPlugins({
  name: 'kgo API reference',
  tsconfig: resolve(docsDir, 'tsconfig.api.json'),
  entryPoints: entries.map((entry) => entry.sourceFile),
  entryPointStrategy: 'resolve',
  plugin: ['typedoc-plugin-markdown'],
  out,
  readme: 'none',
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  sort: ['kind', 'alphabetical'],
  logLevel: LogLevel.Warn,
  treatWarningsAsErrors: true,
  // typedoc-plugin-markdown
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  hidePageHeader: true,
  useCodeBlocks: true,
  sanitizeComments: true,
  // Explicit <a id> anchors: the site's slugs follow GitHub's (.vitepress/github-slug.ts), not the ones this plugin
  // would predict for VitePress.
  useHTMLAnchors: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  typeAliasPropertiesFormat: 'table',
  enumMembersFormat: 'table',
} as Parameters<typeof Application.bootstrapWithPlugins>[0]);

// Name each module after its import specifier: TypeDoc would name it after its path (`rest/src/meta`).
app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection: DeclarationReflection) => {
  if (!reflection.kindOf(ReflectionKind.Module)) return;
  const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
  const specifier = declaration && specifierByFile.get(resolve(declaration.getSourceFile().fileName));
  if (specifier) reflection.name = specifier;
});

// Kubernetes' descriptions (carried into @kgo/typed's TSDoc) link files of the kubernetes repository root-relative
// (`[ref](/pkg/apis/admission/types.go#AdmissionRequest)`): point those at that repository, at the version typed is
// generated from. Some open a ``` block with text on the fence line and close
// it mid-line; Markdown would take that text for the block's language, and VitePress would then read `<quantity>` in it
// as an HTML tag. Give such blocks a plain first line and a closing fence of their own.
app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
  for (const reflection of Object.values(context.project.reflections)) {
    const comment = reflection.comment;
    if (comment) {
      for (const parts of [comment.summary, ...comment.blockTags.map((tag) => tag.content)]) {
        for (const part of parts) {
          if (part.kind === 'code') part.text = repairFence(part.text);
          if (part.kind === 'text') part.text = upstreamLinks(part.text);
        }
      }
    }
  }
});

const project = await app.convert();
if (!project) {
  console.error('api-reference: TypeDoc could not convert the sources (see the messages above).');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
app.validate(project);
await app.generateOutputs(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('api-reference: TypeDoc reported problems (above); fix the TSDoc or the exports they name.');
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`api-reference: ${entries.length} entry points of ${new Set(entries.map((e) => e.packageName)).size} packages → docs/api (${seconds} s)`);

/**
 * The two bundlers the consumer check builds apps with, called as a user's build script would:
 * esbuild (the common choice for bundling a Node app or a lambda) and rollup with
 * @rollup/plugin-node-resolve + @rollup/plugin-commonjs (what Vite builds with, and the strict
 * one: it turns every `require` into an import and has no Node shims, so it breaks on what
 * esbuild papers over, and vice versa).
 */
import commonjsPlugin from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build } from 'esbuild';
import { rollup } from 'rollup';

// The plugin's types are CommonJS-shaped, so under NodeNext its default import types as the module
// record; at run time the `import` condition loads its ES build, whose default export is the plugin.
const commonjs = commonjsPlugin as unknown as typeof commonjsPlugin.default;

/**
 * The banner esbuild's users add to an ESM bundle for Node (evanw/esbuild#1921): esbuild keeps
 * the `require('node:…')` calls of CommonJS dependencies (yaml) as `require`, which an
 * ES module does not have. kgo's own code needs no banner; the consumer check proves that.
 */
export const ESBUILD_ESM_REQUIRE_BANNER = "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";

/** What a build produced: the bundle, the bundler's warnings (one line each), and what it still imports. */
export interface BundleResult {
  outfile: string;
  warnings: string[];
  /** Module specifiers the bundle imports at run time (builtins and externals), sorted. */
  imports: string[];
}

/** Options common to both bundlers. */
export interface BundleOptions {
  entry: string;
  outfile: string;
  /** Packages left out of the bundle (imported at run time). */
  external?: readonly string[];
}

/** `esbuild --bundle --platform=node --format=<format>` (plus an optional banner). */
export async function bundleWithEsbuild(options: BundleOptions & { format: 'esm' | 'cjs'; banner?: string }): Promise<BundleResult> {
  const result = await build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    format: options.format,
    target: 'node22',
    external: [...(options.external ?? [])],
    ...(options.banner === undefined ? {} : { banner: { js: options.banner } }),
    logLevel: 'silent',
    metafile: true,
  });
  const warnings = result.warnings.map((warning) => `${warning.location?.file ?? ''}: ${warning.text}`);
  const output = Object.values(result.metafile.outputs)[0];
  const imports = [...new Set(output?.imports.filter((entry) => entry.external).map((entry) => entry.path))].sort();
  return { outfile: options.outfile, warnings, imports };
}

/** rollup with node-resolve (Node's export conditions, builtins preferred) and commonjs, ESM output. */
export async function bundleWithRollup(options: BundleOptions): Promise<BundleResult> {
  const warnings: string[] = [];
  const external = options.external ?? [];
  const bundle = await rollup({
    input: options.entry,
    plugins: [nodeResolve({ exportConditions: ['node'], preferBuiltins: true }), commonjs()],
    external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
    onwarn: (warning) => warnings.push(`${warning.code ?? 'WARNING'} ${warning.id ?? ''}: ${warning.message}`),
  });
  try {
    const { output } = await bundle.write({ file: options.outfile, format: 'esm', inlineDynamicImports: true });
    return { outfile: options.outfile, warnings, imports: [...output[0].imports].sort() };
  } finally {
    await bundle.close();
  }
}

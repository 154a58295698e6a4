/**
 * The app bundled as docs/bundling.md tells users to: esbuild, minified, `--platform=node
 * --format=esm`, with the `createRequire` banner ESM bundles of CommonJS dependencies need.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The banner of docs/bundling.md (evanw/esbuild#1921). */
export const ESBUILD_ESM_REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** A bundle and what it holds. */
export interface BundleSize {
  outfile: string;
  bytes: number;
  /** gzip -9 of the bundle (what a compressed artifact or layer would carry). */
  gzipBytes: number;
  /** Bytes in the output by package (`node_modules/<name>`; the app's own file as `(app)`), largest first. */
  byPackage: { name: string; bytes: number }[];
}

/** `esbuild <entry> --bundle --minify --platform=node --format=esm --banner:js=…`. */
export async function bundleApp(entry: string, outfile: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: ESBUILD_ESM_REQUIRE_BANNER },
    logLevel: 'silent',
    metafile: true,
  });
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  const code = readFileSync(outfile);
  return {
    outfile,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    byPackage: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => ({ name, bytes })),
  };
}

/** The package an esbuild input path belongs to (the innermost `node_modules/…`). */
function packageOf(input: string): string {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return '(app)';
  const first = parts[at + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

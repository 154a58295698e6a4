/*
 * Writes src/generated/ from the committed OpenAPI documents in openapi/ (see dump-openapi.ts):
 *
 *   pnpm --filter @kgo/typed generate
 *
 * src/generated.test.ts checks that the committed output equals a fresh generation.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBuiltins } from '../src/generator/generate-builtins.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src', 'generated');
const files = generateBuiltins(join(root, 'openapi'));
await rm(out, { recursive: true, force: true });
for (const [path, content] of files) {
  await mkdir(dirname(join(out, path)), { recursive: true });
  await writeFile(join(out, path), content);
}
console.error(`wrote ${files.size} files to ${out}`);

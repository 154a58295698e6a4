import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * Protobuf is opt-in by import: a JSON-only app's bundle has none of @kgo/typed's protobuf code
 * (message tables, runtime), and an app that imports a codec subpath has it. Bundled with esbuild
 * as an app would be.
 */

const here = dirname(fileURLToPath(import.meta.url));

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: here, loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'node',
    conditions: ['@kgo/source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

// Strings only the protobuf tables and runtime of @kgo/typed contain.
const protobufMarkers = ['k8s.io.api.core.v1', 'k8s.io.apimachinery.pkg.apis.meta.v1', 'which this version of the message does not have', 'typed.ProtobufError'];

describe('protobuf stays out of JSON-only bundles', () => {
  it('a core/v1 JSON app bundles no protobuf code of @kgo/typed', async () => {
    const code = await bundle(`import { createClientSet } from '@kgo/typed'; import { coreV1 } from '@kgo/typed/core/v1'; console.log(createClientSet, coreV1);`);
    expect(code.length).toBeGreaterThan(10_000);
    for (const marker of protobufMarkers) expect(code.includes(marker), marker).toBe(false);
  }, 60_000);

  it('an app that imports @kgo/typed/core/v1/protobuf bundles the tables and runtime', async () => {
    const code = await bundle(`import { coreV1 } from '@kgo/typed/core/v1'; import { coreV1Protobuf } from '@kgo/typed/core/v1/protobuf'; console.log(coreV1, coreV1Protobuf);`);
    for (const marker of protobufMarkers) expect(code.includes(marker), marker).toBe(true);
  }, 60_000);
});

/* Test helper: every generated protobuf codec, by apiVersion. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtobufCodec } from '@kgo/rest';

const generated = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated');

/** The codec of each group-version module (`apps/v1` → appsV1Protobuf), keyed by module. */
export async function allProtobufCodecs(): Promise<Map<string, ProtobufCodec>> {
  const codecs = new Map<string, ProtobufCodec>();
  for (const entry of readdirSync(generated, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!entry.endsWith('/protobuf.ts')) continue;
    const module = (await import(join(generated, entry))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) if (name.endsWith('Protobuf')) codecs.set(entry.slice(0, -'/protobuf.ts'.length), value as ProtobufCodec);
  }
  return codecs;
}

/** The codec that handles `apiVersion`'s `kind`, or an error naming it. */
export function codecFor(codecs: Map<string, ProtobufCodec>, apiVersion: string, kind: string): ProtobufCodec {
  for (const codec of codecs.values()) if (codec.handles({ apiVersion, kind })) return codec;
  throw new Error(`no generated protobuf codec handles ${kind} of ${apiVersion}`);
}

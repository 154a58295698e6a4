import { promisify } from 'node:util';
import type { Transform } from 'node:stream';
import { brotliDecompress, createBrotliDecompress, createGunzip, createInflate, gunzip, inflate } from 'node:zlib';

/*
 * Response content decoding for the transport, which reads bodies from node:http and node:http2
 * as sent. The API server gzips large responses when asked (client-go asks by
 * default); deflate and br are handled for proxies in between.
 */

const decoders: Record<string, (bytes: Uint8Array) => Promise<Uint8Array>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

const streamDecoders: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function single(encoding: string | null): string | undefined {
  const value = encoding?.trim().toLowerCase();
  if (!value || value === 'identity') return undefined;
  if (value.includes(',')) throw new Error(`unsupported Content-Encoding ${JSON.stringify(encoding)}: more than one coding`);
  return value;
}

/** Decodes a whole body according to its `Content-Encoding` (none, gzip, deflate or br). */
export async function decode(bytes: Uint8Array, encoding: string | null): Promise<Uint8Array> {
  const coding = single(encoding);
  if (!coding) return bytes;
  const decoder = decoders[coding];
  if (!decoder) throw new Error(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  return decoder(bytes);
}

/** A streaming decoder for a `Content-Encoding`, or `undefined` for an unencoded body. */
export function createDecoder(encoding: string | null): Transform | undefined {
  const coding = single(encoding);
  if (!coding) return undefined;
  const create = streamDecoders[coding];
  if (!create) throw new Error(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  return create();
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './cache-file.ts';

/** A response kept by the {@link HttpCache}: what is needed to revalidate it and to serve it again. */
export interface CachedResponse {
  /** The `ETag` the server sent, sent back as `If-None-Match`. */
  etag: string;
  /** The response's `Content-Type` (aggregated discovery answers with its own type). */
  contentType: string;
  /** The response body. */
  body: Uint8Array;
}

const MAGIC = 'kgo-http-cache/1\n';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

interface Header {
  url: string;
  accept: string;
  etag: string;
  contentType: string;
  length: number;
}

/**
 * The HTTP cache folder (client-go's `httpcache` disk cache under `--cache-dir/http`, the seed
 * program's `./cache/http`): GET responses that carry an `ETag`, kept per URL and `Accept`
 * header (the server varies discovery on Accept), so that the next request can be sent with
 * `If-None-Match` and a `304 Not Modified` stands for the whole body.
 *
 * kgo's own file format, not kubectl's (kubectl stores Go's HTTP response dumps): one file per
 * URL + Accept, named by their SHA-256 with the suffix `.kgo-http`, so both can share one folder
 * without reading each other's files. A file is a magic line, a JSON header line
 * (`url`, `accept`, `etag`, `contentType`, `length`) and the body; a file that does not match
 * exactly — truncated, foreign, for another URL — is a miss. Written atomically, mode 0660.
 */
export class HttpCache {
  /** The folder holding the files. */
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  #path(url: string, accept: string): string {
    return join(this.directory, `${createHash('sha256').update(`${accept}\n${url}`).digest('hex')}.kgo-http`);
  }

  /** The stored response for `url` requested with `accept`, or `undefined`. */
  async get(url: string, accept: string): Promise<CachedResponse | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.#path(url, accept));
    } catch {
      return undefined;
    }
    return decodeEntry(bytes, url, accept);
  }

  /** Stores `response` for `url` requested with `accept`. Failures to write are ignored: the cache only saves bytes. */
  async put(url: string, accept: string, response: CachedResponse): Promise<void> {
    const header: Header = { url, accept, etag: response.etag, contentType: response.contentType, length: response.body.length };
    const head = encoder.encode(`${MAGIC}${JSON.stringify(header)}\n`);
    const file = new Uint8Array(head.length + response.body.length);
    file.set(head, 0);
    file.set(response.body, head.length);
    await writeFileAtomic(this.#path(url, accept), file).catch(() => {});
  }
}

function decodeEntry(bytes: Uint8Array, url: string, accept: string): CachedResponse | undefined {
  const magic = encoder.encode(MAGIC);
  if (bytes.length < magic.length || !magic.every((byte, index) => bytes[index] === byte)) return undefined;
  const end = bytes.indexOf(0x0a, magic.length);
  if (end === -1) return undefined;
  let header: Partial<Header>;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(magic.length, end))) as Partial<Header>;
  } catch {
    return undefined;
  }
  // A plain Uint8Array view (readFile gives a Buffer), as the transport's bodies are.
  const body = new Uint8Array(bytes.buffer, bytes.byteOffset + end + 1, bytes.length - end - 1);
  if (header.url !== url || header.accept !== accept || header.length !== body.length) return undefined;
  if (typeof header.etag !== 'string' || header.etag === '' || typeof header.contentType !== 'string') return undefined;
  return { etag: header.etag, contentType: header.contentType, body };
}

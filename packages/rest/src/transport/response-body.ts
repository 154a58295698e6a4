import type { Readable } from 'node:stream';

/** The `code` of a response body that ended before it was complete (client-go: "unexpected EOF"). */
export const UNEXPECTED_EOF = 'unexpected-eof';

// No `cause`: the error's code is what callers classify by, and they read the innermost one.
function unexpectedEof(message: string): Error & { code: string } {
  return Object.assign(new Error(`unexpected EOF: ${message}`), { code: UNEXPECTED_EOF });
}

/**
 * The whole of a response body, as sent (before any Content-Encoding is undone). A body that
 * stops short of its `Content-Length`, or whose connection closed under it, is an
 * {@link UNEXPECTED_EOF}: node:http2 checks neither (Go's transport and node:http do).
 */
export async function readAll(body: Readable, contentLength: string | null): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    throw unexpectedEof(`the connection closed after ${length} bytes of the response body`);
  }
  const expected = contentLength === null ? Number.NaN : Number(contentLength);
  if (Number.isSafeInteger(expected) && expected !== length) {
    throw unexpectedEof(`the response body ended after ${length} of the ${expected} bytes its Content-Length announced`);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

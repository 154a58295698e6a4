import type { Readable } from 'node:stream';

/** The `code` of a response body that ended before it was complete (client-go: "unexpected EOF"). */
export const UNEXPECTED_EOF = 'unexpected-eof';

// No `cause`: the error's code is what callers classify by, and they read the innermost one.
function unexpectedEof(message: string): Error & { code: string } {
  return Object.assign(new Error(`unexpected EOF: ${message}`), { code: UNEXPECTED_EOF });
}

/**
 * Collects a whole response body, as sent (before any Content-Encoding is undone). Call it as soon
 * as the response arrives: chunks are taken as they come, so a stream the server closes right
 * after a complete response (HTTP/2 RST_STREAM NO_ERROR, which Go's server sends when it answered
 * before the request's end arrived, RFC 9113 §8.1) loses nothing. `closedCleanly` says whether
 * the stream was closed that way. A body that stops short of its `Content-Length`, or whose
 * stream closed under it otherwise, is an {@link UNEXPECTED_EOF}: node:http2 checks neither.
 */
export function collectBody(body: Readable, contentLength: string | null, closedCleanly: () => boolean): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const expected = contentLength === null ? Number.NaN : Number(contentLength);
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      if (!complete) reject(unexpectedEof(`the connection closed after ${length} bytes of the response body`));
      else if (Number.isSafeInteger(expected) && expected !== length) {
        reject(unexpectedEof(`the response body ended after ${length} of the ${expected} bytes its Content-Length announced`));
      } else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    body.once('end', () => finish(true));
    body.once('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    body.once('close', () => finish(closedCleanly()));
  });
}

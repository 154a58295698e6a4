import { Readable } from 'node:stream';

/** The `code` of a response body that ended before it was complete (client-go: "unexpected EOF"). */
export const UNEXPECTED_EOF = 'unexpected-eof';

// No `cause`: the error's code is what callers classify by, and they read the innermost one.
function unexpectedEof(message: string): Error & { code: string } {
  return Object.assign(new Error(`unexpected EOF: ${message}`), { code: UNEXPECTED_EOF });
}

function connectionClosed(length: number): Error & { code: string } {
  return unexpectedEof(`the connection closed after ${length} bytes of the response body`);
}

/**
 * Collects a whole response body, as sent (before any Content-Encoding is undone). Call it as soon
 * as the response arrives: chunks are taken as they come, so a stream the server closes right
 * after a complete response (HTTP/2 RST_STREAM NO_ERROR, which Go's server sends when it answered
 * before the request's end arrived, RFC 9113 §8.1) loses nothing. `closedCleanly` says whether
 * the stream was closed that way, `endedCleanly` whether an end was the server's (HTTP/2: Node
 * also ends a stream whose connection closed). A body that stops short of its `Content-Length`,
 * or whose stream closed or ended under it otherwise, is an {@link UNEXPECTED_EOF}: node:http2
 * checks neither.
 */
export function collectBody(body: Readable, contentLength: string | null, closedCleanly: () => boolean, endedCleanly: () => boolean = () => true): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const expected = contentLength === null ? Number.NaN : Number(contentLength);
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      if (!complete) reject(connectionClosed(length));
      else if (Number.isSafeInteger(expected) && expected !== length) {
        reject(unexpectedEof(`the response body ended after ${length} of the ${expected} bytes its Content-Length announced`));
      } else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    body.once('end', () => finish(endedCleanly()));
    body.once('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
    body.once('close', () => finish(closedCleanly()));
  });
}

/**
 * The body of a streamed response (watch, logs) as a stream that fails with an
 * {@link UNEXPECTED_EOF} where it would have ended, when `source` ended or closed without
 * `intact()`: Node's HTTP/2 client ends the streams of a connection that closed (a plain TCP
 * FIN) as if the server had ended them, and a watch must not take a broken connection for the
 * server's end. The data before it is delivered first; `source`'s own errors pass at once, as
 * before. Destroying the returned stream destroys `source` (the pool then frees the HTTP/2 stream).
 */
export function checkedEnd(source: Readable, intact: () => boolean): Readable {
  const queue: Buffer[] = [];
  let length = 0;
  let wanted = false;
  let ended = false;
  let failure: Error | undefined;
  const body = new Readable({
    // Nothing buffered ahead of the reader here (only in `queue`), so a failure comes after every chunk.
    highWaterMark: 0,
    read() {
      wanted = true;
      deliver();
    },
    destroy(error, callback) {
      if (!source.destroyed) source.destroy(error ?? undefined);
      callback(error);
    },
  });
  const deliver = () => {
    while (wanted && !body.destroyed) {
      const chunk = queue.shift();
      if (chunk) wanted = body.push(chunk);
      else if (failure) body.destroy(failure);
      else if (ended) {
        wanted = false;
        body.push(null);
      } else return void source.resume();
    }
    if (queue.length > 0) source.pause();
  };
  const finish = () => {
    if (ended) return;
    ended = true;
    if (!intact()) failure = connectionClosed(length);
    deliver();
  };
  source.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    length += chunk.length;
    deliver();
  });
  source.once('end', finish);
  // Closed without an end or an error: reset, or destroyed with data a paused reader had not taken.
  source.once('close', () => {
    if (ended) return;
    ended = true;
    failure = connectionClosed(length);
    deliver();
  });
  source.on('error', (error) => {
    ended = true;
    body.destroy(error);
  });
  source.pause();
  // Readers listen for errors themselves; this only keeps a body nobody reads (a 204's) from
  // throwing its error as an uncaught exception.
  body.on('error', () => {});
  return body;
}

import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';

/*
 * Which ends of an HTTP/2 stream are failures worth checking its connection for (the health
 * check's ping after a failed stream, http2-health-check.ts). Node's HTTP/2 client can keep a
 * session open after its connection broke under it (seen behind a resetting proxy): the failed
 * stream is the first sign, and the session's other streams then wait for ever.
 */

// RST_STREAM codes that are no failure: a normal close, and a stream the server refused
// unprocessed (a live server's answer at its stream limit or after a GOAWAY; the pool resends it).
const NO_ERROR = 0;
const REFUSED_STREAM = 7;

/**
 * Calls `onFailure` once `stream` has closed failed — it errored, was aborted, or was reset with
 * a code other than NO_ERROR or REFUSED_STREAM — while its session stayed open. Not for what the
 * client ended itself: a stream cancelled by the caller's `signal` (stop(), a timeout), and
 * streams of a session that closed or is closing (the pool drops it and dials anew anyway).
 */
export function onStreamFailure(stream: ClientHttp2Stream, session: ClientHttp2Session, signal: AbortSignal | undefined, onFailure: () => void): void {
  let aborted = false;
  stream.once('aborted', () => (aborted = true));
  stream.once('close', () => {
    if (session.closed || session.destroyed || signal?.aborted) return;
    const code = stream.rstCode;
    if (code === REFUSED_STREAM) return;
    if (aborted || stream.errored || code !== NO_ERROR) onFailure();
  });
}

import { describeBrokenConnection, rootCause } from '../errors/network-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import { RequestError } from '../errors/request-error.ts';
import type { Status } from '../meta/status.ts';
import { decodeWatchEvent, JsonFrameDecoder } from './watch-decoder.ts';

/** A change seen by a watch. */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** Progress marker: only `metadata.resourceVersion` of `object` is meaningful. */
  | { type: 'BOOKMARK'; object: T }
  /** The server ended the watch with an error, e.g. 410 Expired for a too-old resourceVersion. */
  | { type: 'ERROR'; object: Status };

/**
 * A running watch: iterate it with `for await`. It ends when the server closes the stream (a
 * clean end, e.g. after `timeoutSeconds`), on {@link Watch.stop}, on the caller's abort signal,
 * or with an error for a broken stream: a {@link RequestError} when the connection broke or went
 * silent (TCP keep-alive or the HTTP/2 health check gives up within about 45 s; code `ETIMEDOUT`
 * or `http2-connection-lost`), a {@link DecodeError} for an undecodable frame, an unknown event
 * type or a stream that ended in the middle of an event. Breaking out of the loop stops it too.
 */
export class Watch<T> implements AsyncIterable<WatchEvent<T>> {
  readonly #body: ReadableStream<Uint8Array>;
  readonly #abort: AbortController;
  readonly #signal: AbortSignal;
  readonly #request: RequestDescription;
  #started = false;

  /**
   * @param body the response body: the watch stream
   * @param abort stops the request (stop(), or the end of iteration)
   * @param request the watch request, named in errors (verb and URL, never credentials)
   * @param signal aborts when the watch should end: `abort`, the caller's signal or its timeout
   */
  constructor(body: ReadableStream<Uint8Array>, abort: AbortController, request: RequestDescription, signal: AbortSignal = abort.signal) {
    this.#body = body;
    this.#abort = abort;
    this.#request = request;
    this.#signal = signal;
  }

  /** Stops the watch and closes its connection. */
  stop(): void {
    this.#abort.abort(new Error('watch stopped'));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.#started) throw new Error('a Watch can be iterated only once');
    this.#started = true;
    const request = this.#request;
    const reader = this.#body.getReader();
    const frames = new JsonFrameDecoder(request);
    try {
      while (true) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          // Ended on purpose (stop(), the caller's signal, a timeout): a quiet end, not a broken stream.
          if (this.#signal.aborted) return;
          const { code, message } = rootCause(error);
          throw new RequestError(`${describeRequest(request)}: watch stream broke: ${describeBrokenConnection(code, message)}${code ? ` (${code})` : ''}`, request, { cause: error, code });
        }
        if (chunk.done) {
          frames.end();
          return;
        }
        for (const frame of frames.push(chunk.value)) yield decodeWatchEvent<T>(frame, request);
      }
    } finally {
      this.#abort.abort(new Error('watch ended'));
      reader.releaseLock();
    }
  }
}

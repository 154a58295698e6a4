import type { Status } from '../meta/status.ts';

/** A change seen by a watch. */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** Progress marker: only `metadata.resourceVersion` of `object` is meaningful. */
  | { type: 'BOOKMARK'; object: T }
  /** The server ended the watch with an error, e.g. 410 Expired for a too-old resourceVersion. */
  | { type: 'ERROR'; object: Status };

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * Splits a byte stream into JSON documents: the API server writes one watch event object after
 * another, and a network chunk may hold part of one, or several. Tracks brace depth outside
 * strings, so it needs no newline between frames.
 */
export class JsonFrameDecoder {
  #decoder = new TextDecoder();
  #buffer = '';
  #scanned = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #start = -1;

  /** Feeds a chunk; returns the complete frames it finished, as text. */
  push(chunk: Uint8Array): string[] {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    const frames: string[] = [];
    const buffer = this.#buffer;
    for (let i = this.#scanned; i < buffer.length; i++) {
      const char = buffer.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === 0x5c /* \ */) this.#escaped = true;
        else if (char === 0x22 /* " */) this.#inString = false;
        continue;
      }
      if (char === 0x22) {
        this.#inString = true;
      } else if (char === 0x7b /* { */) {
        if (this.#depth === 0) this.#start = i;
        this.#depth++;
      } else if (char === 0x7d /* } */) {
        this.#depth--;
        if (this.#depth === 0) frames.push(buffer.slice(this.#start, i + 1));
        else if (this.#depth < 0) throw new Error(`unexpected '}' at offset ${i} of the watch stream`);
      } else if (this.#depth === 0 && char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) {
        throw new Error(`unexpected ${JSON.stringify(buffer[i])} between watch events`);
      }
    }
    if (this.#depth === 0) {
      this.#buffer = '';
      this.#scanned = 0;
    } else {
      // Keep only the unfinished frame.
      this.#buffer = buffer.slice(this.#start);
      this.#scanned = this.#buffer.length;
      this.#start = 0;
    }
    return frames;
  }

  /** True when the stream ended in the middle of a frame. */
  get pending(): boolean {
    return this.#depth !== 0 || this.#buffer.trim() !== '';
  }
}

/** Parses one watch frame; unknown types and malformed frames are errors (they end the watch). */
export function parseWatchEvent<T>(frame: string): WatchEvent<T> {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(frame) as { type?: unknown; object?: unknown };
  } catch (error) {
    throw new Error(`undecodable watch event: ${(error as Error).message}`);
  }
  if (typeof event.type !== 'string' || !EVENT_TYPES.has(event.type)) {
    throw new Error(`watch event has unknown type ${JSON.stringify(event.type)}`);
  }
  if (typeof event.object !== 'object' || event.object === null) {
    throw new Error(`watch event ${event.type} has no object`);
  }
  return event as WatchEvent<T>;
}

/**
 * A running watch: iterate it with `for await`. It ends when the server closes the stream (a
 * clean end, e.g. after `timeoutSeconds`), on {@link Watch.stop}, on the caller's abort signal,
 * or with an error for a broken stream. Breaking out of the loop stops it too.
 */
export class Watch<T> implements AsyncIterable<WatchEvent<T>> {
  readonly #body: ReadableStream<Uint8Array>;
  readonly #abort: AbortController;
  readonly #signal: AbortSignal;
  readonly #what: string;
  #started = false;

  /**
   * @param abort stops the request (stop(), or the end of iteration)
   * @param signal aborts when the watch should end: `abort`, the caller's signal or its timeout
   */
  constructor(body: ReadableStream<Uint8Array>, abort: AbortController, what: string, signal: AbortSignal = abort.signal) {
    this.#body = body;
    this.#abort = abort;
    this.#what = what;
    this.#signal = signal;
  }

  /** Stops the watch and closes its connection. */
  stop(): void {
    this.#abort.abort(new Error('watch stopped'));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.#started) throw new Error('a Watch can be iterated only once');
    this.#started = true;
    const reader = this.#body.getReader();
    const frames = new JsonFrameDecoder();
    try {
      while (true) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          // Ended on purpose (stop(), the caller's signal, a timeout): a quiet end, not a broken stream.
          if (this.#signal.aborted) return;
          throw new Error(`${this.#what}: watch stream broke: ${(error as Error).message}`, { cause: error });
        }
        if (chunk.done) {
          if (frames.pending) throw new Error(`${this.#what}: watch stream ended in the middle of an event`);
          return;
        }
        let events: WatchEvent<T>[];
        try {
          events = frames.push(chunk.value).map((frame) => parseWatchEvent<T>(frame));
        } catch (error) {
          throw new Error(`${this.#what}: ${(error as Error).message}`, { cause: error });
        }
        yield* events;
      }
    } finally {
      this.#abort.abort(new Error('watch ended'));
      reader.releaseLock();
    }
  }
}

/*
 * Decoding a watch stream: bytes → JSON frames → watch events (client-go's
 * `streaming.Decoder` over a `json.Decoder`, then `watch.Decoder`).
 *
 * Fast path and fallback. The API server ends every JSON watch event with a newline, so the
 * decoder takes the part of each chunk up to its last newline, decodes it to text in one call,
 * splits it on '\n' (`indexOf`, no per-character loop) and hands each line to `JSON.parse`. A
 * line that parses is exactly one frame: JSON.parse accepts one value with nothing but
 * whitespace around it. Everything else goes to a byte scanner that tracks brace depth outside
 * strings and so needs no newline between frames, like Go's `json.Decoder`:
 * - from a line that does not parse (`{..}{..}` on one line, a pretty-printed frame spread over
 *   several lines, whitespace, garbage) to the end of that chunk;
 * - the bytes after the chunk's last newline: scanned at once, so a frame that is complete but
 *   not yet followed by a newline (or a stream with no newlines at all) is delivered now rather
 *   than when the next chunk comes; a frame left open there is finished by the scanner in the
 *   next chunk, after which the fast path resumes.
 * The scanner looks at each byte once (`"`, `\`, `{`, `}` and whitespace are single bytes in
 * UTF-8, never part of a multi-byte character) and keeps an unfinished frame as a list of byte
 * pieces, joined and decoded once when the frame completes: one large event split into many
 * chunks costs linear time. Between frames only JSON whitespace is allowed: a string, number,
 * array or stray brace there is an error, as is a stream that ends inside a frame.
 *
 * Errors are DecodeErrors naming the request. Their messages never quote the stream's text (a
 * watch on Secrets carries secret data): V8's JSON.parse messages can quote a piece of their
 * input, so only the part before the quote is kept, and the SyntaxError is not attached as cause.
 */
import { DecodeError } from '../errors/decode-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import type { WatchEvent } from './watch.ts';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** A decoded frame: one top-level JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * Splits a watch stream's bytes into JSON objects, however the network cuts them: a chunk may
 * hold part of a frame or several, with or without newlines between them.
 */
export class JsonFrameDecoder {
  readonly #request: RequestDescription | undefined;
  // Not streaming: it only ever sees whole lines and whole frames. A BOM is kept (and rejected).
  readonly #text = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Scanner state: brace depth of the frame being scanned (0: between frames). */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** The bytes of an unfinished frame that came in earlier chunks. */
  #pieces: Uint8Array[] = [];
  /** Frames decoded so far (for messages). */
  #frames = 0;
  /** The error that broke the stream. */
  #failure: DecodeError | undefined;

  /** @param request named in error messages */
  constructor(request?: RequestDescription) {
    this.#request = request;
  }

  /** Feeds a chunk; returns the frames it completed. Throws a {@link DecodeError} for a broken stream. */
  push(chunk: Uint8Array): JsonObject[] {
    const frames: JsonObject[] = [];
    this.#run(frames, () => this.#decode(chunk, frames));
    return frames;
  }

  /** Ends the stream: throws a {@link DecodeError} if it ended in the middle of a frame. */
  end(): void {
    this.#run([], () => {
      if (this.#depth > 0 || this.#inString) throw this.#error('watch stream ended in the middle of an event');
    });
  }

  /**
   * Runs one step. After an error the stream is broken: the frames before the error are still
   * returned (the caller sees every event the server sent before it, as from client-go), and the
   * error is thrown by this call if there are none, else by the next.
   */
  #run(frames: JsonObject[], step: () => void): void {
    if (this.#failure) throw this.#failure;
    try {
      step();
    } catch (error) {
      this.#failure = error as DecodeError;
      if (frames.length === 0) throw error;
    }
  }

  #decode(chunk: Uint8Array, frames: JsonObject[]): void {
    const length = chunk.length;
    // Finish a frame begun in an earlier chunk.
    let position = this.#depth > 0 ? this.#scan(chunk, 0, 0, frames) : 0;
    if (position >= length) return;
    // Usually the chunk ends with an event's newline.
    const lastNewline = chunk[length - 1] === NEWLINE ? length - 1 : chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= position) position = this.#lines(chunk, position, lastNewline + 1, frames);
    if (position < length) this.#scan(chunk, position, length, frames);
  }

  /**
   * The fast path over `chunk[from, to)`, whole lines. Returns `to`, or the offset of the first
   * line that is not exactly one frame (the scanner takes over there).
   */
  #lines(chunk: Uint8Array, from: number, to: number, frames: JsonObject[]): number {
    const text = this.#text.decode(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
    let position = 0;
    for (let line = 0; ; line++) {
      const newline = text.indexOf('\n', position);
      if (newline === -1) return to;
      if (newline > position) {
        let value: unknown;
        try {
          value = JSON.parse(text.slice(position, newline));
        } catch {
          // Several frames, part of one, whitespace, or garbage. Lines and newline bytes match one to one.
          let offset = from;
          for (let skipped = 0; skipped < line; skipped++) offset = chunk.indexOf(NEWLINE, offset) + 1;
          return offset;
        }
        this.#accept(value, frames);
      }
      position = newline + 1;
    }
  }

  /**
   * Scans `chunk` from `from` up to at least `until` and on while a frame is open; returns where
   * it stopped. Completed frames are parsed into `frames`.
   */
  #scan(chunk: Uint8Array, from: number, until: number, frames: JsonObject[]): number {
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    let start = from;
    const length = chunk.length;
    let i = from;
    for (; i < length; i++) {
      if (depth === 0 && i >= until) break;
      if (inString) {
        // The rest of a string, to its closing quote, in a tight loop: most of a frame is strings.
        for (; i < length; i++) {
          if (escaped) {
            escaped = false;
          } else {
            const byte = chunk[i] as number;
            if (byte === QUOTE) {
              inString = false;
              break;
            }
            if (byte === BACKSLASH) escaped = true;
          }
        }
        if (i === length) break;
        continue;
      }
      const byte = chunk[i] as number;
      if (byte === OPEN_BRACE) {
        if (depth === 0) start = i;
        depth++;
      } else if (byte === CLOSE_BRACE) {
        if (depth === 0) throw this.#error(`unexpected "}" between watch events${this.#after()}`);
        depth--;
        if (depth === 0) {
          const piece = chunk.subarray(start, i + 1);
          const frame = this.#pieces.length === 0 ? piece : concat(this.#pieces, piece);
          this.#pieces = [];
          this.#accept(this.#parse(frame), frames);
        }
      } else if (byte === QUOTE) {
        if (depth === 0) throw this.#error(`unexpected string between watch events${this.#after()}`);
        inString = true;
      } else if (depth === 0 && byte !== SPACE && byte !== NEWLINE && byte !== CARRIAGE_RETURN && byte !== TAB) {
        throw this.#error(`unexpected ${describeByte(byte)} between watch events${this.#after()}`);
      }
    }
    if (depth > 0) this.#pieces.push(chunk.subarray(start, i));
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return i;
  }

  #parse(frame: Uint8Array): unknown {
    try {
      return JSON.parse(this.#text.decode(frame));
    } catch (error) {
      throw this.#error(`undecodable watch event${this.#after()}: ${parserMessage(error)}`);
    }
  }

  #accept(value: unknown, frames: JsonObject[]): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      throw this.#error(`unexpected ${kind} between watch events${this.#after()}`);
    }
    frames.push(value as JsonObject);
    this.#frames++;
  }

  #after(): string {
    return this.#frames === 0 ? ' (before the first event)' : ` (after ${this.#frames} events)`;
  }

  #error(message: string): DecodeError {
    return new DecodeError(this.#request ? `${describeRequest(this.#request)}: ${message}` : message, this.#request);
  }
}

/**
 * Checks one decoded frame and returns it as a watch event. Unknown types and frames without an
 * object are {@link DecodeError}s (they end the watch, as in client-go).
 */
export function decodeWatchEvent<T>(frame: JsonObject, request?: RequestDescription): WatchEvent<T> {
  const type = frame.type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    // Quoted only when it reads as an event type (a capitalized word): in a corrupted stream the
    // "type" may hold any bytes of the stream, a Secret's data included.
    const shown =
      typeof type !== 'string' ? JSON.stringify(type) : /^[A-Z][A-Z_]{0,23}$/.test(type) ? JSON.stringify(type) : `(a string of ${type.length} characters, not shown)`;
    throw decodeError(`watch event has unknown type ${shown}`, request);
  }
  if (typeof frame.object !== 'object' || frame.object === null) {
    throw decodeError(`watch event ${type} has no object`, request);
  }
  return frame as WatchEvent<T>;
}

function decodeError(message: string, request: RequestDescription | undefined): DecodeError {
  return new DecodeError(request ? `${describeRequest(request)}: ${message}` : message, request);
}

/** `pieces` and `last`, joined. */
function concat(pieces: readonly Uint8Array[], last: Uint8Array): Uint8Array {
  let length = last.length;
  for (const piece of pieces) length += piece.length;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  joined.set(last, offset);
  return joined;
}

/** One byte for a message: printable ASCII as itself, anything else in hex. */
function describeByte(byte: number): string {
  return byte > 0x20 && byte < 0x7f ? JSON.stringify(String.fromCharCode(byte)) : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** JSON.parse's message without the piece of input V8 quotes (`Unexpected token 'x', …"…"… is not valid JSON`). */
export function parserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.endsWith(' is not valid JSON')) return message;
  return /^Unexpected token '.'/su.exec(message)?.[0] ?? 'not valid JSON';
}

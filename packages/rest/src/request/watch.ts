import { describeBrokenConnection, rootCause } from '../errors/network-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import { RequestError } from '../errors/request-error.ts';
import type { Status } from '../meta/status.ts';
import { decodeWatchEvent, JsonFrameDecoder, type JsonObject } from './watch-decoder.ts';
import { DecodeError } from '../errors/decode-error.ts';
import { canDecode, decodeEnvelopeObject, withRequest } from '../protobuf/decode-object.ts';
import { decodeEnvelope } from '../protobuf/envelope.ts';
import { isProtobufContentType } from '../protobuf/media-types.ts';
import type { ProtobufCodec } from '../protobuf/protobuf-codec.ts';
import { decodeWatchEventMessage, LengthDelimitedFrameDecoder } from '../protobuf/watch-frames.ts';

/** How a {@link Watch} decodes its stream. */
export interface WatchDecoding {
  /** The response's Content-Type: `application/vnd.kubernetes.protobuf;stream=watch` selects protobuf frames, anything else JSON. */
  contentType?: string | undefined;
  /** Decodes the objects of a protobuf stream (a Status in an ERROR event needs none). */
  protobufCodec?: ProtobufCodec | undefined;
  /** Called when a protobuf frame holds a kind the codec cannot decode, before the watch fails (the client then uses JSON for the resource). */
  onUndecodableKind?: (() => void) | undefined;
}

/** Turns a stream's chunks into frames (JSON objects, or protobuf events turned into the same shape). */
interface FrameDecoder {
  push(chunk: Uint8Array): JsonObject[];
  end(): void;
}

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
 * or with an error for a broken stream: a {@link RequestError} when the connection broke (also a
 * plain TCP FIN before the server ended the stream: code `ECONNRESET` over HTTP/1.1,
 * `unexpected-eof` over HTTP/2) or went silent (TCP keep-alive or the HTTP/2 health check gives
 * up within about 45 s; code `ETIMEDOUT` or `http2-connection-lost`), a {@link DecodeError} for an undecodable frame, an unknown event
 * type or a stream that ended in the middle of an event. Breaking out of the loop stops it too.
 */
export class Watch<T> implements AsyncIterable<WatchEvent<T>> {
  readonly #body: ReadableStream<Uint8Array>;
  readonly #abort: AbortController;
  readonly #signal: AbortSignal;
  readonly #request: RequestDescription;
  readonly #decoding: WatchDecoding;
  #started = false;

  /**
   * @param body the response body: the watch stream
   * @param abort stops the request (stop(), or the end of iteration)
   * @param request the watch request, named in errors (verb and URL, never credentials)
   * @param signal aborts when the watch should end: `abort`, the caller's signal or its timeout
   * @param decoding the stream's content type and protobuf codec (JSON when left out)
   */
  constructor(body: ReadableStream<Uint8Array>, abort: AbortController, request: RequestDescription, signal: AbortSignal = abort.signal, decoding: WatchDecoding = {}) {
    this.#body = body;
    this.#abort = abort;
    this.#request = request;
    this.#signal = signal;
    this.#decoding = decoding;
  }

  /** True when the server streams protobuf frames (`application/vnd.kubernetes.protobuf;stream=watch`). */
  get isProtobuf(): boolean {
    return isProtobufContentType(this.#decoding.contentType);
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
    const frames: FrameDecoder = this.isProtobuf ? new ProtobufEventDecoder(request, this.#decoding) : new JsonFrameDecoder(request);
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

/**
 * Protobuf watch frames turned into the event objects the JSON path gives: length-prefixed
 * metav1.WatchEvent messages whose object is an envelope, decoded by the codec (an ERROR's
 * Status by @kgo/rest). Errors name the request and never quote the stream's bytes.
 */
class ProtobufEventDecoder implements FrameDecoder {
  readonly #request: RequestDescription;
  readonly #decoding: WatchDecoding;
  readonly #frames = new LengthDelimitedFrameDecoder();
  #failure: DecodeError | undefined;

  constructor(request: RequestDescription, decoding: WatchDecoding) {
    this.#request = request;
    this.#decoding = decoding;
  }

  push(chunk: Uint8Array): JsonObject[] {
    if (this.#failure) throw this.#failure;
    const events: JsonObject[] = [];
    try {
      for (const frame of this.#frames.push(chunk)) events.push(this.#event(frame));
    } catch (error) {
      // As for JSON: the events before a broken frame are delivered, the error comes next.
      this.#failure = DecodeError.isInstance(error) ? withRequest(error, this.#request) : (error as DecodeError);
      if (events.length === 0) throw this.#failure;
    }
    return events;
  }

  end(): void {
    if (this.#failure) throw this.#failure;
    try {
      this.#frames.end();
    } catch (error) {
      throw DecodeError.isInstance(error) ? withRequest(error, this.#request) : error;
    }
  }

  #event(frame: Uint8Array): JsonObject {
    const { type, object } = decodeWatchEventMessage(frame);
    if (object.length === 0) return { type };
    const envelope = decodeEnvelope(object);
    if (!canDecode(envelope.typeMeta, this.#decoding.protobufCodec)) this.#decoding.onUndecodableKind?.();
    return { type, object: decodeEnvelopeObject(envelope, this.#decoding.protobufCodec, this.#request) };
  }
}

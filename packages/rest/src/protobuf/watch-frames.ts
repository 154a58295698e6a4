/*
 * The protobuf watch stream (`application/vnd.kubernetes.protobuf;stream=watch`): a sequence of
 * frames, each a 4-byte big-endian length followed by that many bytes (apimachinery's
 * `framer.NewLengthDelimitedFrameWriter`). A frame is a metav1.WatchEvent message:
 *
 *   message WatchEvent { string type = 1; RawExtension object = 2; }
 *   message RawExtension { bytes raw = 1; }
 *
 * and the RawExtension's raw is itself an envelope (`k8s\0` + runtime.Unknown) holding the object.
 * The frame itself has no magic prefix.
 */
import { DecodeError } from '../errors/decode-error.ts';
import { ProtobufReader, WireType } from './wire-reader.ts';
import { ProtobufWriter } from './wire-writer.ts';

/** client-go's streaming decoder refuses objects larger than this (16 MiB); so does this one. */
export const MAX_WATCH_FRAME_BYTES = 16 * 1024 * 1024;

/** One decoded frame: the event type and the object's envelope bytes (`k8s\0` + runtime.Unknown). */
export interface ProtobufWatchFrame {
  /** `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR` (checked by the caller). */
  readonly type: string;
  /** The object as an envelope. */
  readonly object: Uint8Array;
}

/**
 * Splits a protobuf watch stream into frames, however the network cuts it: a chunk may hold part
 * of a length prefix, part of a frame or several frames. A length above
 * {@link MAX_WATCH_FRAME_BYTES} and a stream that ends inside a frame are DecodeErrors.
 */
export class LengthDelimitedFrameDecoder {
  readonly #maxFrameBytes: number;
  /** Bytes received but not yet part of a returned frame. */
  #pending: Uint8Array[] = [];
  #pendingLength = 0;
  /** The length of the frame being collected, once its prefix is complete. */
  #frameLength: number | undefined;
  #frames = 0;

  /** @param maxFrameBytes the largest frame accepted */
  constructor(maxFrameBytes = MAX_WATCH_FRAME_BYTES) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Feeds a chunk; returns the frames it completed (each a copy-free view where possible). */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    if (chunk.length > 0) {
      this.#pending.push(chunk);
      this.#pendingLength += chunk.length;
    }
    while (true) {
      if (this.#frameLength === undefined) {
        if (this.#pendingLength < 4) break;
        const prefix = this.#take(4);
        const length = new DataView(prefix.buffer, prefix.byteOffset, 4).getUint32(0, false);
        if (length > this.#maxFrameBytes) {
          throw new DecodeError(`protobuf watch frame ${this.#frames + 1} is ${length} bytes, more than the ${this.#maxFrameBytes} allowed`);
        }
        this.#frameLength = length;
      }
      if (this.#pendingLength < this.#frameLength) break;
      frames.push(this.#take(this.#frameLength));
      this.#frameLength = undefined;
      this.#frames++;
    }
    return frames;
  }

  /** Ends the stream: a DecodeError if it ended inside a frame or its length prefix. */
  end(): void {
    if (this.#frameLength !== undefined || this.#pendingLength > 0) {
      throw new DecodeError(`protobuf watch stream ended in the middle of a frame (after ${this.#frames} frames)`);
    }
  }

  /** Removes and returns the first `count` pending bytes. */
  #take(count: number): Uint8Array {
    const first = this.#pending[0] as Uint8Array | undefined;
    if (first && first.length >= count) {
      const taken = first.subarray(0, count);
      if (first.length === count) this.#pending.shift();
      else this.#pending[0] = first.subarray(count);
      this.#pendingLength -= count;
      return taken;
    }
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const piece = this.#pending[0] as Uint8Array;
      const used = Math.min(piece.length, count - filled);
      out.set(piece.subarray(0, used), filled);
      filled += used;
      if (used === piece.length) this.#pending.shift();
      else this.#pending[0] = piece.subarray(used);
    }
    this.#pendingLength -= count;
    return out;
  }
}

/** Decodes one frame's metav1.WatchEvent message. */
export function decodeWatchEventMessage(frame: Uint8Array): ProtobufWatchFrame {
  const reader = new ProtobufReader(frame, 'metav1.WatchEvent');
  let type = '';
  let object: Uint8Array | undefined;
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) {
      type = reader.string();
    } else if (field === 2 && wireType === WireType.LengthDelimited) {
      const extension = new ProtobufReader(reader.bytes(), 'runtime.RawExtension');
      while (!extension.done) {
        const tag = extension.tag();
        if (tag.field === 1 && tag.wireType === WireType.LengthDelimited) object = extension.bytes();
        else extension.skip(tag.wireType);
      }
    } else {
      reader.skip(wireType);
    }
  }
  return { type, object: object ?? new Uint8Array(0) };
}

/** Encodes one watch event as a frame: length prefix + metav1.WatchEvent (for servers and tests). */
export function encodeWatchFrame(type: string, object: Uint8Array): Uint8Array {
  const event = new ProtobufWriter()
    .string(1, type)
    .message(2, (raw) => raw.bytes(1, object))
    .finish();
  const frame = new Uint8Array(4 + event.length);
  new DataView(frame.buffer).setUint32(0, event.length, false);
  frame.set(event, 4);
  return frame;
}

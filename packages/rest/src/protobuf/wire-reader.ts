/*
 * Reading the protobuf wire format (https://protobuf.dev/programming-guides/encoding/) by hand:
 * the few messages @kgo/rest decodes itself (the envelope, Status, watch events) need only
 * varints, length-delimited fields and skipping. Every read is bounded by the buffer: truncated
 * or garbage input throws a DecodeError (never a RangeError, never a loop that does not advance),
 * and its message gives offsets and wire types, never the bytes (a Secret's data could be in them).
 */
import { DecodeError } from '../errors/decode-error.ts';

/** Protobuf wire types (the low three bits of a field's tag). */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

/** One of {@link WireType}'s values. */
export type WireType = (typeof WireType)[keyof typeof WireType];

/** Nested groups deeper than this are refused (the deprecated group encoding is only ever skipped). */
const MAX_GROUP_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A field's tag: its number and wire type. */
export interface FieldTag {
  /** The field number (1 … 2^29 − 1). */
  readonly field: number;
  /** How its value is encoded. */
  readonly wireType: WireType;
}

/**
 * Reads protobuf fields from one message's bytes, front to back. Loop with
 * `while (!reader.done) { const tag = reader.tag(); … }` and read or {@link ProtobufReader.skip}
 * each value according to its field number.
 *
 * @example
 * ```ts
 * const reader = new ProtobufReader(bytes);
 * while (!reader.done) {
 *   const { field, wireType } = reader.tag();
 *   if (field === 1 && wireType === WireType.LengthDelimited) name = reader.string();
 *   else reader.skip(wireType);
 * }
 * ```
 */
export class ProtobufReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  #position: number;
  /** What is being read, for messages (`runtime.Unknown`, `metav1.Status`, …). */
  readonly #what: string;

  /**
   * @param bytes the message's bytes
   * @param what names the message in errors
   */
  constructor(bytes: Uint8Array, what = 'protobuf message') {
    this.#bytes = bytes;
    this.#end = bytes.length;
    this.#position = 0;
    this.#what = what;
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.#position >= this.#end;
  }

  /** The offset of the next byte to read. */
  get position(): number {
    return this.#position;
  }

  /** Reads a field's tag. Field number 0 and wire types 6 and 7 are errors. */
  tag(): FieldTag {
    const at = this.#position;
    const key = this.#varint32('field tag');
    const wireType = key & 7;
    const field = key >>> 3;
    if (field === 0) throw this.#error(`field number 0 at offset ${at}`);
    if (wireType > 5) throw this.#error(`unknown wire type ${wireType} for field ${field} at offset ${at}`);
    return { field, wireType: wireType as WireType };
  }

  /** Reads a varint as an unsigned 32-bit number (higher bits, as protobuf's uint32, are dropped). */
  uint32(): number {
    return this.#varint32('varint');
  }

  /** Reads a varint as a signed 32-bit number (int32: negative values take ten bytes). */
  int32(): number {
    return this.#varint32('varint') | 0;
  }

  /** Reads a varint as a 64-bit integer (int64, uint64 as two's complement). */
  int64(): bigint {
    return BigInt.asIntN(64, this.#varint64());
  }

  /** Reads a varint as an unsigned 64-bit integer. */
  uint64(): bigint {
    return this.#varint64();
  }

  /**
   * Reads an int64 varint as a number; values outside ±2^53 are a DecodeError rather than a
   * silently rounded number.
   */
  int64Number(): number {
    const at = this.#position;
    const value = this.int64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.#error(`int64 at offset ${at} does not fit a JavaScript number`);
    }
    return Number(value);
  }

  /** Reads a bool (any non-zero varint is true). */
  bool(): boolean {
    return this.#varint64() !== 0n;
  }

  /** Reads four little-endian bytes as an unsigned number. */
  fixed32(): number {
    const at = this.#take(4, 'fixed32');
    return new DataView(this.#bytes.buffer, this.#bytes.byteOffset + at, 4).getUint32(0, true);
  }

  /** Reads eight little-endian bytes as an unsigned 64-bit integer. */
  fixed64(): bigint {
    const at = this.#take(8, 'fixed64');
    return new DataView(this.#bytes.buffer, this.#bytes.byteOffset + at, 8).getBigUint64(0, true);
  }

  /** Reads eight little-endian bytes as a double. */
  double(): number {
    const at = this.#take(8, 'double');
    return new DataView(this.#bytes.buffer, this.#bytes.byteOffset + at, 8).getFloat64(0, true);
  }

  /** Reads a length-delimited value's bytes (a view into the buffer, not a copy). */
  bytes(): Uint8Array {
    const lengthAt = this.#position;
    const length = this.#varint64();
    const remaining = this.#end - this.#position;
    if (length > BigInt(remaining)) {
      throw this.#error(`length ${length} at offset ${lengthAt} runs past the end (${remaining} bytes left)`);
    }
    const at = this.#take(Number(length), 'bytes');
    return this.#bytes.subarray(at, at + Number(length));
  }

  /** Reads a length-delimited value as UTF-8 text; invalid UTF-8 is a DecodeError. */
  string(): string {
    const at = this.#position;
    const bytes = this.bytes();
    try {
      return utf8.decode(bytes);
    } catch {
      throw this.#error(`string at offset ${at} is not valid UTF-8`);
    }
  }

  /** Skips a value of the given wire type (unknown fields). */
  skip(wireType: WireType, depth = 0): void {
    switch (wireType) {
      case WireType.Varint:
        this.#varint64();
        return;
      case WireType.Fixed64:
        this.#take(8, 'fixed64');
        return;
      case WireType.LengthDelimited:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.#take(4, 'fixed32');
        return;
      case WireType.StartGroup:
        this.#skipGroup(depth + 1);
        return;
      case WireType.EndGroup:
        throw this.#error(`unexpected end of group at offset ${this.#position}`);
    }
  }

  #skipGroup(depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw this.#error(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    while (true) {
      if (this.done) throw this.#error('group not closed before the end');
      const { wireType } = this.tag();
      if (wireType === WireType.EndGroup) return;
      this.skip(wireType, depth);
    }
  }

  /** Advances over `count` bytes and returns where they start. */
  #take(count: number, what: string): number {
    const at = this.#position;
    if (count > this.#end - at) throw this.#error(`${what} at offset ${at} runs past the end (${this.#end - at} bytes left)`);
    this.#position = at + count;
    return at;
  }

  #varint32(what: string): number {
    // The low 32 bits of a varint of up to ten bytes, as protobuf's uint32 reads it.
    return Number(BigInt.asUintN(32, this.#varint64(what)));
  }

  #varint64(what = 'varint'): bigint {
    const bytes = this.#bytes;
    const at = this.#position;
    // Fast path: up to four bytes fit a small integer exactly.
    let result = 0;
    for (let i = 0; i < 4; i++) {
      if (at + i >= this.#end) throw this.#error(`${what} at offset ${at} is truncated`);
      const byte = bytes[at + i] as number;
      result |= (byte & 0x7f) << (7 * i);
      if (byte < 0x80) {
        this.#position = at + i + 1;
        return BigInt(result >>> 0);
      }
    }
    let value = BigInt(result >>> 0);
    for (let i = 4; i < 10; i++) {
      if (at + i >= this.#end) throw this.#error(`${what} at offset ${at} is truncated`);
      const byte = bytes[at + i] as number;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) {
        this.#position = at + i + 1;
        return BigInt.asUintN(64, value);
      }
    }
    throw this.#error(`${what} at offset ${at} is longer than ten bytes`);
  }

  #error(message: string): DecodeError {
    return new DecodeError(`${this.#what}: ${message}`);
  }
}

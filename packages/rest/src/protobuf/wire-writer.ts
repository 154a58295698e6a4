/*
 * Writing the protobuf wire format by hand: enough for the envelope (`runtime.Unknown`) and for
 * codecs and tests that build small messages. Fields are written in the order they are called,
 * which is how Go's generated marshallers order them too (by field number) when called so.
 */
import { WireType } from './wire-reader.ts';

const utf8 = new TextEncoder();

/**
 * Builds one protobuf message. Each method appends one field (tag and value); {@link
 * ProtobufWriter.finish} returns the bytes. Empty strings, empty bytes and zero numbers are
 * written as given: leave a field out by not calling its method (proto2 `optional`
 * semantics, as Kubernetes' messages use).
 *
 * @example
 * ```ts
 * const typeMeta = new ProtobufWriter().string(1, 'v1').string(2, 'ConfigMap').finish();
 * const unknown = new ProtobufWriter().bytes(1, typeMeta).bytes(2, raw).finish();
 * ```
 */
export class ProtobufWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;
  #scratch: number[] = [];

  /** The number of bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** A varint field from a non-negative integer or a bigint (int64/uint64; negative bigints as two's complement). */
  varint(field: number, value: number | bigint): this {
    this.#tag(field, WireType.Varint);
    this.#varint(typeof value === 'bigint' ? BigInt.asUintN(64, value) : toUint64(value));
    return this.#flush();
  }

  /** A bool field. */
  bool(field: number, value: boolean): this {
    return this.varint(field, value ? 1 : 0);
  }

  /** A length-delimited field holding `value`'s bytes. */
  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, WireType.LengthDelimited);
    this.#varint(BigInt(value.length));
    this.#flush();
    this.#push(value);
    return this;
  }

  /** A length-delimited field holding `value` as UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A fixed32 field (four little-endian bytes). */
  fixed32(field: number, value: number): this {
    this.#tag(field, WireType.Fixed32);
    this.#flush();
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    this.#push(bytes);
    return this;
  }

  /** A fixed64 field (eight little-endian bytes). */
  fixed64(field: number, value: bigint): this {
    this.#tag(field, WireType.Fixed64);
    this.#flush();
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.#push(bytes);
    return this;
  }

  /** A nested message field, written by `build` into a writer of its own. */
  message(field: number, build: (writer: ProtobufWriter) => void): this {
    const nested = new ProtobufWriter();
    build(nested);
    return this.bytes(field, nested.finish());
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0] as Uint8Array;
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.#chunks = [out];
    return out;
  }

  #tag(field: number, wireType: WireType): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`protobuf field number ${field} is out of range (1 … 536870911)`);
    this.#varint(BigInt(field) * 8n + BigInt(wireType));
  }

  #varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.#scratch.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.#scratch.push(Number(rest));
  }

  #flush(): this {
    this.#push(Uint8Array.from(this.#scratch));
    this.#scratch = [];
    return this;
  }

  #push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }
}

function toUint64(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint ${value} is not a safe integer`);
  // Negative int32/int64 values are written as their 64-bit two's complement, as Go does.
  return BigInt.asUintN(64, BigInt(value));
}

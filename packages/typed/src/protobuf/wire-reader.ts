import { ProtobufError } from './protobuf-error.ts';

const utf8 = new TextDecoder();

/**
 * How deeply messages may nest (CRD schemas are the deepest real ones, a few dozen levels):
 * deeper bytes are refused rather than overflowing the stack.
 */
export const MAX_DEPTH = 1000;

/**
 * Reads protobuf wire primitives from one buffer. Every read checks its bounds, so truncated or
 * garbage bytes end in a {@link ProtobufError}, never an out-of-range read.
 */
export class WireReader {
  readonly buf: Uint8Array;
  pos: number;
  /** Where the message being read ends. */
  end: number;
  /** How deep in nested messages the decoder is (bounded: see {@link MAX_DEPTH}). */
  depth = 0;
  #view: DataView | undefined;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** A varint that fits 32 bits (tags, lengths, int32, bool): the low 32 bits, unsigned. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let byte = buf[pos++] as number;
    let value = byte & 0x7f;
    if (byte >= 0x80) {
      byte = buf[pos++] as number;
      value |= (byte & 0x7f) << 7;
      if (byte >= 0x80) {
        byte = buf[pos++] as number;
        value |= (byte & 0x7f) << 14;
        if (byte >= 0x80) {
          byte = buf[pos++] as number;
          value |= (byte & 0x7f) << 21;
          if (byte >= 0x80) {
            byte = buf[pos++] as number;
            value |= byte << 28;
            // Negative int32s are sign-extended to 10 bytes: skip the high bytes.
            for (let i = 0; byte >= 0x80 && i < 5; i++) byte = buf[pos++] as number;
            if (byte >= 0x80) throw this.error('a varint longer than 10 bytes');
          }
        }
      }
    }
    if (pos > this.end) throw this.error('a varint past the end of the message');
    this.pos = pos;
    return value >>> 0;
  }

  /** An int32 varint. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** An int64 varint as a number (exact up to 2^53, as JSON.parse reads the JSON path's numbers). */
  int64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let byte: number;
    let i = 0;
    do {
      if (this.pos >= this.end) throw this.error('a varint past the end of the message');
      byte = buf[this.pos++] as number;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi = (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
    } while (byte >= 0x80 && ++i < 10);
    if (byte >= 0x80) throw this.error('a varint longer than 10 bytes');
    if (hi & 0x80000000) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
    return (hi >>> 0) * 4294967296 + (lo >>> 0);
  }

  /** A length prefix, checked against the end of the enclosing message. */
  length(): number {
    const length = this.uint32();
    if (length > this.end - this.pos) throw this.error(`a length of ${length} bytes past the end of the message`);
    return length;
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    const length = this.length();
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length < 64) {
      // Short ASCII strings (names, labels, most values): one fromCharCode is several times
      // faster than TextDecoder, and than concatenating characters (measured).
      for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) return utf8.decode(buf.subarray(start, end));
      return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
    }
    return utf8.decode(buf.subarray(start, end));
  }

  /** Length-delimited bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, this.pos);
  }

  /** A little-endian double (wire type 1). */
  double(): number {
    if (this.end - this.pos < 8) throw this.error('a double past the end of the message');
    this.#view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const value = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Skips a field of wire type `wireType` (for packed reads and error recovery). */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.int64();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.advance(this.length());
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw this.error(`wire type ${wireType}, which Kubernetes messages do not use`);
    }
  }

  private advance(bytes: number): void {
    if (bytes > this.end - this.pos) throw this.error('a field past the end of the message');
    this.pos += bytes;
  }

  /** A decode error at the current position. */
  error(what: string, message?: string): ProtobufError {
    return new ProtobufError(`protobuf: ${what} at byte ${this.pos}${message ? ` of ${message}` : ''}; the bytes are not the message expected (a truncated or corrupt body, or another kind)`);
  }
}

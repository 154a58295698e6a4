const utf8 = new TextEncoder();

/** Writes protobuf wire primitives into a growing buffer. */
export class WireWriter {
  buf = new Uint8Array(256);
  pos = 0;
  #view: DataView | undefined;

  #ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.#view = undefined;
  }

  /** A field key: number and wire type. */
  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** An unsigned varint below 2^32. */
  uint32(value: number): void {
    this.#ensure(5);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
  }

  /** A signed varint (int32, int64, bool): negatives as 10-byte two's complement, as Go writes them. */
  int64(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.uint32(value);
      return;
    }
    this.#ensure(10);
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value >>> 0;
      hi = Math.floor(value / 4294967296) >>> 0;
    } else {
      const magnitude = -value;
      lo = magnitude >>> 0;
      hi = Math.floor(magnitude / 4294967296) >>> 0;
      // Two's complement of the 64-bit magnitude.
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  /** Length-delimited bytes. */
  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.#ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A length-delimited UTF-8 string. */
  string(value: string): void {
    // At most 3 bytes per UTF-16 unit; write after a 5-byte length gap, then close the gap.
    this.#ensure(value.length * 3 + 5);
    const start = this.pos;
    const { written } = utf8.encodeInto(value, this.buf.subarray(start + 5));
    this.uint32(written);
    const lengthBytes = this.pos - start;
    this.buf.copyWithin(this.pos, start + 5, start + 5 + written);
    this.pos = start + lengthBytes + written;
  }

  /** A little-endian double. */
  double(value: number): void {
    this.#ensure(8);
    this.#view ??= new DataView(this.buf.buffer);
    this.#view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Starts a length-delimited sub-message; pass the result to {@link WireWriter.endMessage}. */
  beginMessage(): number {
    this.#ensure(1);
    return this.pos++;
  }

  /** Ends a sub-message: writes its length before it (moving it when the length needs more than a byte). */
  endMessage(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    let size = 1;
    for (let rest = length >>> 7; rest > 0; rest >>>= 7) size++;
    this.#ensure(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    const end = this.pos + size - 1;
    this.pos = start;
    this.uint32(length);
    this.pos = end;
  }

  /** The bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

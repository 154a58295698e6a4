import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import { combineProtobufCodecs, type ProtobufCodec } from './protobuf-codec.ts';
import { decodeEnvelope, encodeEnvelope, hasProtobufMagic, PROTOBUF_MAGIC } from './envelope.ts';
import { isProtobufContentType, PROTOBUF_ACCEPT, PROTOBUF_WATCH_CONTENT_TYPE } from './media-types.ts';
import { decodeListMeta, decodeStatusMessage, encodeStatusMessage } from './status-message.ts';
import { decodeWatchEventMessage, encodeWatchFrame, LengthDelimitedFrameDecoder } from './watch-frames.ts';
import { ProtobufReader, WireType } from './wire-reader.ts';
import { ProtobufWriter } from './wire-writer.ts';

/* The hand-written protobuf wire format: known bytes, round trips, and typed errors for bad input. */

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('ProtobufWriter and ProtobufReader', () => {
  it('write the bytes the protobuf spec gives (varint 150 is 08 96 01, "testing" is 12 07 …)', () => {
    expect(hex(new ProtobufWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtobufWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    // int32 -1 takes ten bytes, as Go writes it.
    expect(hex(new ProtobufWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtobufWriter().fixed32(3, 1).fixed64(4, 2n).finish())).toBe('1d01000000210200000000000000');
  });

  it('read back every wire type, values at the edges included', () => {
    const bytes = new ProtobufWriter()
      .varint(1, 0)
      .varint(2, 2 ** 53 - 1)
      .varint(3, -5)
      .varint(4, 2n ** 64n - 1n)
      .bool(5, true)
      .fixed32(6, 0xffffffff)
      .fixed64(7, 123456789012345678n)
      .string(8, 'ü✓')
      .bytes(9, new Uint8Array([0, 255]))
      .message(10, (w) => w.string(1, 'nested'))
      .varint(536870911, 7)
      .finish();
    const reader = new ProtobufReader(bytes);
    const read: unknown[] = [];
    while (!reader.done) {
      const { field, wireType } = reader.tag();
      if (field === 1) read.push(reader.uint32());
      else if (field === 2) read.push(reader.int64Number());
      else if (field === 3) read.push(reader.int32());
      else if (field === 4) read.push(reader.uint64());
      else if (field === 5) read.push(reader.bool());
      else if (field === 6) read.push(reader.fixed32());
      else if (field === 7) read.push(reader.fixed64());
      else if (field === 8) read.push(reader.string());
      else if (field === 9) read.push([...reader.bytes()]);
      else if (field === 10) {
        const nested = new ProtobufReader(reader.bytes());
        expect(nested.tag()).toEqual({ field: 1, wireType: WireType.LengthDelimited });
        read.push(nested.string());
      } else {
        expect(wireType).toBe(WireType.Varint);
        read.push([field, reader.uint32()]);
      }
    }
    expect(read).toEqual([0, 2 ** 53 - 1, -5, 2n ** 64n - 1n, true, 0xffffffff, 123456789012345678n, 'ü✓', [0, 255], 'nested', [536870911, 7]]);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    // field 1 varint, 2 fixed64, 3 group { 4 varint }, 5 fixed32, 6 bytes, then 7 = "kept".
    const bytes = fromHex('08 96 01  11 0102030405060708  1b 20 01 1c  2d 01020304  32 02 6869  3a 04 6b657074');
    const reader = new ProtobufReader(bytes);
    let kept = '';
    while (!reader.done) {
      const { field, wireType } = reader.tag();
      if (field === 7) kept = reader.string();
      else reader.skip(wireType);
    }
    expect(kept).toBe('kept');
  });

  it.each([
    ['a truncated varint', '08 96', /varint at offset 1 is truncated/],
    ['a varint longer than ten bytes', '08 ffffffffffffffffffff01', /longer than ten bytes/],
    ['a length past the end', '0a 05 6869', /length 5 at offset 1 runs past the end \(2 bytes left\)/],
    ['a huge length', '0a ffffffffffffffff7f', /runs past the end/],
    ['field number 0', '00 01', /field number 0/],
    ['wire type 7', '0f', /unknown wire type 7/],
    ['a truncated fixed64', '09 0102', /fixed64 at offset 1 runs past the end/],
    ['a group never closed', '0b 08 01', /group not closed/],
    ['a stray end of group', '0c', /unexpected end of group/],
    ['invalid UTF-8', '0a 02 c328', /not valid UTF-8/],
  ])('reports %s as a DecodeError with the offset, never a RangeError', (_, bytes, message) => {
    const read = () => {
      const reader = new ProtobufReader(fromHex(bytes), 'test message');
      while (!reader.done) {
        const { field, wireType } = reader.tag();
        if (field === 1 && wireType === WireType.LengthDelimited) reader.string();
        else reader.skip(wireType);
      }
    };
    expect(read).toThrow(DecodeError);
    expect(read).toThrow(message);
    expect(read).toThrow(/^test message: /);
  });

  it('refuses groups nested deeper than 64 rather than recursing without bound', () => {
    const deep = new Uint8Array(200).fill(0x0b); // field 1, start group, 200 times
    const reader = new ProtobufReader(deep);
    const { wireType } = reader.tag();
    expect(() => reader.skip(wireType)).toThrow(/nested deeper than 64/);
  });

  it('refuses an int64 that does not fit a JavaScript number', () => {
    const reader = new ProtobufReader(new ProtobufWriter().varint(1, 2n ** 60n).finish());
    reader.tag();
    expect(() => reader.int64Number()).toThrow(DecodeError);
  });
});

describe('the k8s\\0 envelope (runtime.Unknown)', () => {
  it('encodes magic + Unknown{typeMeta{apiVersion, kind}, raw} and decodes it back', () => {
    const raw = new ProtobufWriter().string(1, 'x').finish();
    const bytes = encodeEnvelope({ apiVersion: 'v1', kind: 'ConfigMap' }, raw);
    expect([...bytes.subarray(0, 4)]).toEqual([...PROTOBUF_MAGIC]);
    expect(hex(bytes)).toBe(`6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1203 0a0178`.replace(/ /g, ''));
    const envelope = decodeEnvelope(bytes);
    expect(envelope.typeMeta).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(hex(envelope.raw)).toBe(hex(raw));
    expect(envelope.contentEncoding).toBe('');
    expect(envelope.contentType).toBe('');
  });

  it('reads empty contentEncoding/contentType fields (as Go writes them) and skips unknown fields', () => {
    const unknown = new ProtobufWriter()
      .message(1, (w) => w.string(1, 'apps/v1').string(2, 'Deployment').varint(9, 1))
      .bytes(2, new Uint8Array([1, 2]))
      .string(3, '')
      .string(4, '')
      .varint(15, 3)
      .finish();
    const envelope = decodeEnvelope(new Uint8Array([...PROTOBUF_MAGIC, ...unknown]));
    expect(envelope.typeMeta).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect([...envelope.raw]).toEqual([1, 2]);
  });

  it('refuses a body without the magic, a truncated envelope and one without a kind', () => {
    expect(() => decodeEnvelope(new TextEncoder().encode('{"kind":"Status"}'))).toThrow(/does not start with the k8s\\0 magic \(17 bytes\)/);
    expect(hasProtobufMagic(new Uint8Array([0x6b, 0x38, 0x73]))).toBe(false);
    const whole = encodeEnvelope({ apiVersion: 'v1', kind: 'Pod' }, new Uint8Array(10));
    expect(() => decodeEnvelope(whole.subarray(0, whole.length - 3))).toThrow(DecodeError);
    expect(() => decodeEnvelope(PROTOBUF_MAGIC)).toThrow(/names no kind/);
  });
});

describe('metav1.Status', () => {
  it('round-trips every field the JSON Status has, leaving out empty ones as JSON does', () => {
    const status = {
      kind: 'Status' as const,
      apiVersion: 'v1',
      metadata: { resourceVersion: '12' },
      status: 'Failure' as const,
      message: 'ConfigMap "x" is invalid',
      reason: 'Invalid',
      details: {
        name: 'x',
        group: 'apps',
        kind: 'ConfigMap',
        uid: 'u-1',
        causes: [
          { reason: 'FieldValueInvalid', message: 'bad key', field: 'data[a b]' },
          { reason: 'FieldValueRequired', field: 'metadata.name' },
        ],
        retryAfterSeconds: 3,
      },
      code: 422,
    };
    expect(decodeStatusMessage(encodeStatusMessage(status))).toEqual(status);
    expect(decodeStatusMessage(new Uint8Array())).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {} });
  });

  it('reads ListMeta continue and remainingItemCount, and empty strings as absent', () => {
    const meta = new ProtobufWriter().string(1, '').string(2, '7').string(3, 'token').varint(4, 42).finish();
    expect(decodeListMeta(meta)).toEqual({ resourceVersion: '7', continue: 'token', remainingItemCount: 42 });
  });
});

describe('protobuf watch frames', () => {
  const object = encodeEnvelope({ apiVersion: 'v1', kind: 'ConfigMap' }, new Uint8Array([1, 2, 3]));
  const frames = [encodeWatchFrame('ADDED', object), encodeWatchFrame('MODIFIED', object), encodeWatchFrame('DELETED', object)];
  const stream = new Uint8Array(frames.flatMap((frame) => [...frame]));

  it('are a 4-byte big-endian length + metav1.WatchEvent{type, RawExtension{raw = envelope}}', () => {
    const [first] = frames as [Uint8Array];
    expect(new DataView(first.buffer).getUint32(0, false)).toBe(first.length - 4);
    const event = decodeWatchEventMessage(first.subarray(4));
    expect(event.type).toBe('ADDED');
    expect(hex(event.object)).toBe(hex(object));
  });

  it('split the same however the stream is cut (every cut point, one byte at a time too)', () => {
    const whole = new LengthDelimitedFrameDecoder().push(stream);
    expect(whole.map((frame) => decodeWatchEventMessage(frame).type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new LengthDelimitedFrameDecoder();
      const got = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(got.map(hex)).toEqual(whole.map(hex));
      decoder.end();
    }
    const bytewise = new LengthDelimitedFrameDecoder();
    const got: Uint8Array[] = [];
    for (const byte of stream) got.push(...bytewise.push(Uint8Array.of(byte)));
    expect(got.map(hex)).toEqual(whole.map(hex));
  });

  it('refuse a stream that ends inside a frame and a frame over the size limit', () => {
    const decoder = new LengthDelimitedFrameDecoder();
    decoder.push(stream.subarray(0, stream.length - 1));
    expect(() => decoder.end()).toThrow(/ended in the middle of a frame \(after 2 frames\)/);
    const prefixOnly = new LengthDelimitedFrameDecoder();
    prefixOnly.push(Uint8Array.of(0, 0));
    expect(() => prefixOnly.end()).toThrow(DecodeError);
    expect(() => new LengthDelimitedFrameDecoder(100).push(Uint8Array.of(0, 0, 0, 101))).toThrow(/frame 1 is 101 bytes, more than the 100 allowed/);
    expect(() => new LengthDelimitedFrameDecoder().push(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toThrow(DecodeError);
  });
});

describe('media types and codecs', () => {
  it('recognise the protobuf content types and carry client-go Accept list', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType(PROTOBUF_WATCH_CONTENT_TYPE)).toBe(true);
    expect(isProtobufContentType('Application/Vnd.Kubernetes.Protobuf ; stream=watch')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf+json')).toBe(false);
    expect(isProtobufContentType(null)).toBe(false);
    expect(PROTOBUF_ACCEPT).toBe('application/vnd.kubernetes.protobuf, application/json');
  });

  it('combineProtobufCodecs sends each kind to the first codec that handles it', () => {
    const codec = (kind: string): ProtobufCodec => ({
      handles: (type) => type.kind === kind,
      decode: (type) => ({ decodedBy: kind, kind: type.kind }),
      encode: () => new TextEncoder().encode(kind),
    });
    const both = combineProtobufCodecs(codec('Pod'), codec('Deployment'));
    expect(both.handles({ apiVersion: 'v1', kind: 'Pod' })).toBe(true);
    expect(both.handles({ apiVersion: 'v1', kind: 'Secret' })).toBe(false);
    expect(both.decode({ apiVersion: 'apps/v1', kind: 'Deployment' }, new Uint8Array())).toEqual({ decodedBy: 'Deployment', kind: 'Deployment' });
    expect(new TextDecoder().decode(both.encode({ apiVersion: 'v1', kind: 'Pod' }, {}))).toBe('Pod');
    expect(() => both.decode({ apiVersion: 'v1', kind: 'Secret' }, new Uint8Array())).toThrow(/no protobuf codec handles Secret of v1/);
  });
});

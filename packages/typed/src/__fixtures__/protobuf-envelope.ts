/*
 * Test helper: the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) read by hand, so the
 * codecs are tested on the real server's bytes independently of @kgo/rest's own envelope code.
 */
import { WireReader } from '../protobuf/wire-reader.ts';

/** The message inside one enveloped body: its type and raw bytes. */
export interface Enveloped {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/** Strips `k8s\0` and reads runtime.Unknown {typeMeta{apiVersion=1, kind=2}=1, raw=2}. */
export function unwrapEnvelope(body: Uint8Array): Enveloped {
  if (body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0) throw new Error(`not a protobuf envelope: ${new TextDecoder().decode(body.subarray(0, 200))}`);
  const reader = new WireReader(body, 4);
  const out: Enveloped = { apiVersion: '', kind: '', raw: new Uint8Array() };
  while (reader.pos < body.length) {
    const key = reader.uint32();
    if (key === 0x0a) {
      const end = reader.pos + reader.length();
      while (reader.pos < end) {
        const inner = reader.uint32();
        if (inner === 0x0a) out.apiVersion = reader.string();
        else if (inner === 0x12) out.kind = reader.string();
        else reader.skip(inner & 7);
      }
    } else if (key === 0x12) out.raw = reader.bytes();
    else reader.skip(key & 7);
  }
  return out;
}

/** Wraps a message in the envelope (what a protobuf request body is). */
export function wrapEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const utf8 = new TextEncoder();
  const typeMeta = [...field(1, utf8.encode(apiVersion)), ...field(2, utf8.encode(kind))];
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...field(1, Uint8Array.from(typeMeta)), ...field(2, raw)]);
}

function field(number: number, bytes: Uint8Array): number[] {
  const out = [(number << 3) | 2];
  let length = bytes.length;
  while (length > 0x7f) {
    out.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  out.push(length);
  return [...out, ...bytes];
}

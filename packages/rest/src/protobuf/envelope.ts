/*
 * The Kubernetes protobuf envelope (apimachinery's runtime/serializer/protobuf): every protobuf
 * body and every object in a protobuf watch frame is the four bytes `k8s\0` followed by a
 * `runtime.Unknown` message (k8s.io/apimachinery/pkg/runtime/generated.proto):
 *
 *   message Unknown { TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3; string contentType = 4; }
 *   message TypeMeta { string apiVersion = 1; string kind = 2; }
 *
 * `raw` holds the object's own message (ConfigMap, PodList, Status, …), without apiVersion and
 * kind: those travel in typeMeta.
 */
import { DecodeError } from '../errors/decode-error.ts';
import type { ProtobufTypeMeta } from './protobuf-codec.ts';
import { ProtobufReader, WireType } from './wire-reader.ts';
import { ProtobufWriter } from './wire-writer.ts';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Uint8Array = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** A decoded envelope: which message `raw` holds, and the message's bytes. */
export interface ProtobufEnvelope {
  /** apiVersion and kind of the message in `raw`. */
  readonly typeMeta: ProtobufTypeMeta;
  /** The message's bytes (a view into the body). */
  readonly raw: Uint8Array;
  /** How `raw` is encoded; the API server leaves it empty (plain protobuf). */
  readonly contentEncoding: string;
  /** The content type of `raw`; the API server leaves it empty (protobuf). */
  readonly contentType: string;
}

/** True when `bytes` starts with the `k8s\0` magic. */
export function hasProtobufMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0x00;
}

/**
 * Decodes `k8s\0` + `runtime.Unknown`. A body without the magic, a truncated or garbled
 * message, or an envelope without a kind is a {@link DecodeError} (message without body bytes).
 */
export function decodeEnvelope(bytes: Uint8Array): ProtobufEnvelope {
  if (!hasProtobufMagic(bytes)) {
    throw new DecodeError(`protobuf body does not start with the k8s\\0 magic (${bytes.length} bytes)`);
  }
  const reader = new ProtobufReader(bytes.subarray(4), 'runtime.Unknown');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType);
      continue;
    }
    switch (field) {
      case 1: {
        const typeMeta = new ProtobufReader(reader.bytes(), 'runtime.TypeMeta');
        while (!typeMeta.done) {
          const tag = typeMeta.tag();
          if (tag.field === 1 && tag.wireType === WireType.LengthDelimited) apiVersion = typeMeta.string();
          else if (tag.field === 2 && tag.wireType === WireType.LengthDelimited) kind = typeMeta.string();
          else typeMeta.skip(tag.wireType);
        }
        break;
      }
      case 2:
        raw = reader.bytes();
        break;
      case 3:
        contentEncoding = reader.string();
        break;
      case 4:
        contentType = reader.string();
        break;
      default:
        reader.skip(wireType);
    }
  }
  if (!kind) throw new DecodeError('runtime.Unknown: the envelope names no kind');
  return { typeMeta: { apiVersion, kind }, raw, contentEncoding, contentType };
}

/** Encodes `k8s\0` + `runtime.Unknown` around a message's bytes (contentEncoding and contentType left empty, as the API server expects). */
export function encodeEnvelope(typeMeta: ProtobufTypeMeta, raw: Uint8Array): Uint8Array {
  const unknown = new ProtobufWriter()
    .message(1, (meta) => meta.string(1, typeMeta.apiVersion).string(2, typeMeta.kind))
    .bytes(2, raw)
    .finish();
  const out = new Uint8Array(4 + unknown.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(unknown, 4);
  return out;
}

import { type CompiledField, type CompiledMessage, Flag, Scalar } from './message-table.ts';
import { encodeBase64 } from './base64.ts';
import { MAX_DEPTH, type WireReader } from './wire-reader.ts';

/*
 * Decodes messages straight into the objects Go's encoding/json writes for the same Go value (no
 * intermediate message objects): what the server's JSON path gives. A field absent on the wire is
 * the Go zero value, written as encoding/json would: zero scalars unless omitempty, null for nil
 * pointers, slices and maps unless omitempty, and value structs always.
 */

/** Decodes one message ending at `end` into its JSON form. */
export function decodeMessage(message: CompiledMessage, reader: WireReader, end: number): unknown {
  if (message.special) return message.special.decode(reader, end, message, decodeMessage);
  if (message.wrapper) {
    const out: Record<string, unknown> = {};
    decodeInto(message, reader, end, out);
    return out[''] ?? null;
  }
  const out: Record<string, unknown> = {};
  decodeInto(message, reader, end, out);
  return out;
}

/** Decodes the fields of one message into `out` (also the parent object, for inlined structs). */
export function decodeInto(message: CompiledMessage, reader: WireReader, end: number, out: Record<string, unknown>): void {
  if (++reader.depth > MAX_DEPTH) throw reader.error(`messages nested deeper than ${MAX_DEPTH} levels`, message.name);
  const outerEnd = reader.end;
  reader.end = end;
  const byNumber = message.byNumber;
  while (reader.pos < end) {
    const key = reader.uint32();
    const number = key >>> 3;
    const wireType = key & 7;
    const field = number < byNumber.length ? byNumber[number] : undefined;
    if (field === undefined) {
      throw reader.error(`field ${number} (wire type ${wireType}), which this version of the message does not have (a server newer than @kgo/typed's Kubernetes version? use JSON for this client)`, message.name);
    }
    if (wireType !== field.wireType) {
      if (wireType === 2 && field.repeated && field.wireType !== 2) {
        readPacked(field, reader, out);
        continue;
      }
      throw reader.error(`field ${field.json || number} with wire type ${wireType} (expected ${field.wireType})`, message.name);
    }
    if (field.inline) {
      const length = reader.length();
      decodeInto(field.message as CompiledMessage, reader, reader.pos + length, out);
      continue;
    }
    if (field.map) {
      const map = (out[field.json] ??= {}) as Record<string, unknown>;
      readMapEntry(field, reader, map);
      continue;
    }
    const value = readValue(field, reader);
    if (field.repeated) {
      const list = out[field.json] as unknown[] | undefined;
      if (list === undefined) out[field.json] = [value];
      else list.push(value);
    } else {
      const flags = field.flags;
      if (flags & Flag.omitEmpty) {
        // Pointers are kept even when they point at a zero; empty []byte and zero values are not.
        if (flags & Flag.nullable) {
          if (field.scalar === Scalar.bytes && value === '') continue;
        } else if (field.scalar !== 0 && isZero(value)) continue;
      }
      if (flags & Flag.omitZero && value === null) continue;
      out[field.json] = value;
    }
  }
  reader.end = outerEnd;
  reader.depth--;
  applyDefaults(message, out);
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function readValue(field: CompiledField, reader: WireReader): unknown {
  switch (field.scalar) {
    case Scalar.string:
      return reader.string();
    case Scalar.int32:
      return reader.int32();
    case Scalar.int64:
      return reader.int64();
    case Scalar.bool:
      return reader.uint32() !== 0;
    case Scalar.double:
      return reader.double();
    case Scalar.bytes:
      return encodeBase64(reader.bytes());
    default: {
      const length = reader.length();
      return decodeMessage(field.message as CompiledMessage, reader, reader.pos + length);
    }
  }
}

function readPacked(field: CompiledField, reader: WireReader, out: Record<string, unknown>): void {
  const length = reader.length();
  const end = reader.pos + length;
  const list = (out[field.json] ??= []) as unknown[];
  while (reader.pos < end) list.push(readValue(field, reader));
  if (reader.pos !== end) throw reader.error(`a packed field ${field.json} that overruns its length`);
}

function readMapEntry(field: CompiledField, reader: WireReader, map: Record<string, unknown>): void {
  const length = reader.length();
  const end = reader.pos + length;
  const outerEnd = reader.end;
  reader.end = end;
  let key = '';
  let value: unknown;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === 0x0a) key = reader.string();
    else if (tag === (0x10 | field.valueWireType)) value = readValue(field, reader);
    else throw reader.error(`map entry tag ${tag} in field ${field.json}`);
  }
  reader.end = outerEnd;
  if (value === undefined) value = zeroOf(field);
  // A map key may be "__proto__" (a ConfigMap key, say): define it rather than set the prototype.
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** The JSON of a field type's Go zero value. */
function zeroOf(field: CompiledField): unknown {
  switch (field.scalar) {
    case Scalar.string:
      return '';
    case Scalar.bool:
      return false;
    case Scalar.bytes:
      return '';
    case 0:
      return emptyMessage(field.message as CompiledMessage);
    default:
      return 0;
  }
}

function emptyMessage(message: CompiledMessage): unknown {
  if (message.special) return message.special.zero;
  if (message.wrapper) return null;
  const out: Record<string, unknown> = {};
  applyDefaults(message, out);
  return out;
}

/**
 * Nested objects whose TypeMeta the server's conversion always sets, so their JSON has
 * apiVersion and kind, which protobuf does not carry: a StatefulSet's volumeClaimTemplates
 * (pkg/apis/apps/v1/conversion.go in kubernetes).
 */
const nestedTypeMeta: Readonly<Record<string, { field: string; apiVersion: string; kind: string }>> = {
  'k8s.io.api.apps.v1.StatefulSetSpec': { field: 'volumeClaimTemplates', apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
};

/** Writes the fields the wire left out as encoding/json writes a Go zero value. */
function applyDefaults(message: CompiledMessage, out: Record<string, unknown>): void {
  const typeMeta = nestedTypeMeta[message.name];
  if (typeMeta) for (const item of (out[typeMeta.field] as Record<string, unknown>[] | undefined) ?? []) Object.assign(item, { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind });
  for (const field of message.fields) {
    const flags = field.flags;
    if (field.inline) {
      if (!(flags & Flag.nullable)) applyDefaults(field.message as CompiledMessage, out);
      continue;
    }
    if (out[field.json] !== undefined) continue;
    if (flags & Flag.nullable) {
      if (!(flags & Flag.omitEmpty)) out[field.json] = null;
      continue;
    }
    if (field.scalar !== 0) {
      if (!(flags & Flag.omitEmpty)) out[field.json] = zeroOf(field);
      continue;
    }
    const zero = emptyMessage(field.message as CompiledMessage);
    if (flags & Flag.omitZero && zero === null) continue;
    out[field.json] = zero;
  }
}

import { bytesOf } from './json-forms.ts';
import { type CompiledField, type CompiledMessage, Scalar } from './message-table.ts';
import { ProtobufError } from './protobuf-error.ts';
import { MAX_DEPTH } from './wire-reader.ts';
import type { WireWriter } from './wire-writer.ts';

/*
 * Encodes the JSON form of an object (what the JSON path reads and writes) as its message. A
 * field the message does not have is an error rather than silently dropped: the server would
 * never see it.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let depth = 0;

/** Encodes `value` as the fields of `message` (without a length prefix). */
export function encodeMessage(writer: WireWriter, message: CompiledMessage, value: unknown, path: string): void {
  if (depth >= MAX_DEPTH) {
    // Not the path: 1,000 levels of it would be an unhelpful message (and a string V8 may fail to flatten).
    throw new ProtobufError(`protobuf: a ${message.name} nested deeper than ${MAX_DEPTH} levels (an object that contains itself?)`);
  }
  depth++;
  try {
    encodeMessageBody(writer, message, value, path);
  } finally {
    depth--;
  }
}

function encodeMessageBody(writer: WireWriter, message: CompiledMessage, value: unknown, path: string): void {
  if (message.special) {
    message.special.encode(writer, value, message, path, (inner, innerValue, innerPath) => encodeMessage(writer, inner, innerValue, innerPath));
    return;
  }
  if (message.wrapper) {
    encodeField(writer, message.fields[0] as CompiledField, value, path);
    return;
  }
  if (!isPlainObject(value)) throw new ProtobufError(`protobuf: ${path || 'the object'} must be an object (${message.name})`);
  for (const key in value) {
    // apiVersion and kind (TypeMeta) are not message fields: the envelope carries the top-level
    // ones, and nested ones (a StatefulSet's volumeClaimTemplates) are set by the server.
    if (!message.jsonNames.has(key) && key !== 'apiVersion' && key !== 'kind' && value[key] !== undefined) {
      throw new ProtobufError(`protobuf: ${join(path, key)} is not a field of ${message.name}; it cannot be sent over protobuf (a typo, or a field of a newer Kubernetes version?)`);
    }
  }
  encodeFields(writer, message, value, path);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function encodeFields(writer: WireWriter, message: CompiledMessage, object: Record<string, unknown>, path: string): void {
  for (const field of message.fields) {
    if (field.inline) {
      writer.tag(field.number, 2);
      const start = writer.beginMessage();
      encodeFields(writer, field.message as CompiledMessage, object, path);
      writer.endMessage(start);
      continue;
    }
    encodeField(writer, field, object[field.json], field.json ? join(path, field.json) : path);
  }
}

function encodeField(writer: WireWriter, field: CompiledField, value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (field.repeated) {
    if (!Array.isArray(value)) throw new ProtobufError(`protobuf: ${path} must be an array`);
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === null || item === undefined) throw new ProtobufError(`protobuf: ${path}[${index}] is null; protobuf lists cannot hold null`);
      writeValue(writer, field, item, `${path}[${index}]`);
    }
    return;
  }
  if (field.map) {
    if (!isPlainObject(value)) throw new ProtobufError(`protobuf: ${path} must be an object (a map)`);
    // Sorted keys, as Go writes maps: the same object always gives the same bytes.
    for (const key of Object.keys(value).sort()) {
      const item = value[key];
      if (item === undefined) continue;
      if (item === null) throw new ProtobufError(`protobuf: ${path}.${key} is null; protobuf maps cannot hold null`);
      writer.tag(field.number, 2);
      const start = writer.beginMessage();
      writer.tag(1, 2);
      writer.string(key);
      writeValue(writer, field, item, `${path}.${key}`, 2);
      writer.endMessage(start);
    }
    return;
  }
  writeValue(writer, field, value, path);
}

function writeValue(writer: WireWriter, field: CompiledField, value: unknown, path: string, number = field.number): void {
  switch (field.scalar) {
    case Scalar.string:
      if (typeof value !== 'string') throw new ProtobufError(`protobuf: ${path} must be a string`);
      writer.tag(number, 2);
      writer.string(value);
      return;
    case Scalar.bool:
      if (typeof value !== 'boolean') throw new ProtobufError(`protobuf: ${path} must be a boolean`);
      writer.tag(number, 0);
      writer.uint32(value ? 1 : 0);
      return;
    case Scalar.int32:
    case Scalar.int64:
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new ProtobufError(`protobuf: ${path} must be an integer`);
      if (field.scalar === Scalar.int32 && (value > 2147483647 || value < -2147483648)) throw new ProtobufError(`protobuf: ${path} does not fit in an int32`);
      writer.tag(number, 0);
      writer.int64(value);
      return;
    case Scalar.double:
      if (typeof value !== 'number') throw new ProtobufError(`protobuf: ${path} must be a number`);
      writer.tag(number, 1);
      writer.double(value);
      return;
    case Scalar.bytes:
      writer.tag(number, 2);
      writer.bytes(bytesOf(value, path));
      return;
    default: {
      writer.tag(number, 2);
      const start = writer.beginMessage();
      encodeMessage(writer, field.message as CompiledMessage, value, path);
      writer.endMessage(start);
    }
  }
}

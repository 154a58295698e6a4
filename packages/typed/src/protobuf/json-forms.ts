import { decodeBase64 } from './base64.ts';
import type { CompiledMessage, SpecialForm } from './message-table.ts';
import { ProtobufError } from './protobuf-error.ts';
import type { SpecialTypeName } from './special-types.ts';
import type { WireReader } from './wire-reader.ts';
import type { WireWriter } from './wire-writer.ts';

/*
 * The types whose JSON is not their message's fields (their Go types have MarshalJSON): each
 * decodes its message straight to the JSON form and encodes that form back, as apimachinery's
 * MarshalJSON/UnmarshalJSON and Marshal/Unmarshal do.
 */

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** The next field key of a message ending at `end`, or -1 at its end. */
function nextKey(reader: WireReader, end: number, name: string): number {
  if (reader.pos < end) return reader.uint32();
  if (reader.pos !== end) throw reader.error('a field that overruns its message', name);
  return -1;
}

function unknown(reader: WireReader, name: string, number: number): ProtobufError {
  return reader.error(`field ${number}, which ${name} does not have`, name);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** RFC 3339 in UTC, as metav1.Time and MicroTime write it (seconds, or microseconds). */
function formatTime(seconds: number, micros: number | undefined): string {
  const date = new Date(seconds * 1000);
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  return micros === undefined ? `${base}Z` : `${base}.${pad(micros, 6)}Z`;
}

/** Parses RFC 3339 (any fraction, any offset) into seconds and nanoseconds. */
function parseTime(value: unknown, path: string): { seconds: number; nanos: number } {
  const match = typeof value === 'string' ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(value) : null;
  const millis = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(millis)) throw new ProtobufError(`protobuf: ${path} is not an RFC 3339 time (as metav1.Time reads it)`);
  return { seconds: Math.floor(millis / 1000), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function time(micro: boolean): SpecialForm {
  return {
    zero: null,
    decode(reader, end, message) {
      if (reader.pos === end) return null; // the zero time is written as an empty message
      let seconds = 0;
      let nanos = 0;
      const outerEnd = reader.end;
      reader.end = end;
      for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
        if (key === 0x08) seconds = reader.int64();
        else if (key === 0x10) nanos = reader.int32();
        else throw unknown(reader, message.name, key >>> 3);
      }
      reader.end = outerEnd;
      return formatTime(seconds, micro ? Math.floor(nanos / 1000) : undefined);
    },
    encode(writer, value, _message, path) {
      const { seconds, nanos } = parseTime(value, path);
      writer.tag(1, 0);
      writer.int64(seconds);
      if (micro && nanos) {
        writer.tag(2, 0);
        writer.int64(Math.floor(nanos / 1000) * 1000);
      }
    },
  };
}

/** A message whose only field is `bytes raw = 1` holding JSON (RawExtension, FieldsV1, apiextensions JSON). */
function rawJson(emptyIsNull: boolean): SpecialForm {
  return {
    zero: null,
    decode(reader, end, message) {
      let raw: Uint8Array | undefined;
      const outerEnd = reader.end;
      reader.end = end;
      for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
        if (key === 0x0a) raw = reader.bytes();
        else throw unknown(reader, message.name, key >>> 3);
      }
      reader.end = outerEnd;
      if (raw === undefined || (emptyIsNull && raw.length === 0)) return null;
      if (raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0) {
        throw new ProtobufError(`protobuf: ${message.name} holds a protobuf-encoded object, which has no JSON form here; read this object over JSON`);
      }
      try {
        return JSON.parse(utf8.decode(raw));
      } catch (cause) {
        throw new ProtobufError(`protobuf: ${message.name} holds bytes that are not JSON`, { cause });
      }
    },
    encode(writer, value) {
      writer.tag(1, 2);
      writer.bytes(utf8Encoder.encode(JSON.stringify(value)));
    },
  };
}

const jsonSchemaProps = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';

function schemaOrList(listNumber: number, listOfSchemas: boolean): SpecialForm {
  return {
    zero: null,
    ref: jsonSchemaProps,
    decode(reader, end, message, decodeField) {
      let schema: unknown = null;
      const list: unknown[] = [];
      const schemaMessage = message.ref as CompiledMessage;
      const outerEnd = reader.end;
      reader.end = end;
      for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
        const number = key >>> 3;
        if ((key & 7) !== 2) throw unknown(reader, message.name, number);
        if (number === 1) {
          const length = reader.length();
          schema = decodeField(schemaMessage, reader, reader.pos + length);
        } else if (number === listNumber && listOfSchemas) {
          const length = reader.length();
          list.push(decodeField(schemaMessage, reader, reader.pos + length));
        } else if (number === listNumber) list.push(reader.string());
        else throw unknown(reader, message.name, number);
      }
      reader.end = outerEnd;
      return list.length > 0 ? list : schema;
    },
    encode(writer, value, message, path, encodeMessage) {
      const schemaMessage = message.ref as CompiledMessage;
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) {
          writer.tag(listNumber, 2);
          if (listOfSchemas) {
            const start = writer.beginMessage();
            encodeMessage(schemaMessage, item, `${path}[${index}]`);
            writer.endMessage(start);
          } else {
            if (typeof item !== 'string') throw new ProtobufError(`protobuf: ${path}[${index}] must be a string`);
            writer.string(item);
          }
        }
        return;
      }
      writer.tag(1, 2);
      const start = writer.beginMessage();
      encodeMessage(schemaMessage, value, path);
      writer.endMessage(start);
    },
  };
}

const schemaOrBool: SpecialForm = {
  zero: false,
  ref: jsonSchemaProps,
  decode(reader, end, message, decodeField) {
    let allows = false;
    let schema: unknown = null;
    const outerEnd = reader.end;
    reader.end = end;
    for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
      if (key === 0x08) allows = reader.uint32() !== 0;
      else if (key === 0x12) {
        const length = reader.length();
        schema = decodeField(message.ref as CompiledMessage, reader, reader.pos + length);
      } else throw unknown(reader, message.name, key >>> 3);
    }
    reader.end = outerEnd;
    return schema ?? allows;
  },
  encode(writer, value, message, path, encodeMessage) {
    writer.tag(1, 0);
    writer.uint32(value === false ? 0 : 1);
    if (typeof value === 'boolean') return;
    writer.tag(2, 2);
    const start = writer.beginMessage();
    encodeMessage(message.ref as CompiledMessage, value, path);
    writer.endMessage(start);
  },
};

/** The special forms by full message name; the generator fails on a custom-JSON type missing here. */
export const specialForms: Readonly<Record<SpecialTypeName, SpecialForm>> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': time(false),
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': time(true),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': {
    zero: '0',
    decode(reader, end, message) {
      let text = '';
      const outerEnd = reader.end;
      reader.end = end;
      for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
        if (key === 0x0a) text = reader.string();
        else throw unknown(reader, message.name, key >>> 3);
      }
      reader.end = outerEnd;
      return text === '' ? '0' : text;
    },
    encode(writer, value, _message, path) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new ProtobufError(`protobuf: ${path} must be a quantity (a string such as "100m" or a number)`);
      writer.tag(1, 2);
      writer.string(String(value));
    },
  },
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
    zero: 0,
    decode(reader, end, message) {
      let type = 0;
      let intVal = 0;
      let strVal = '';
      const outerEnd = reader.end;
      reader.end = end;
      for (let key = nextKey(reader, end, message.name); key !== -1; key = nextKey(reader, end, message.name)) {
        if (key === 0x08) type = reader.int64();
        else if (key === 0x10) intVal = reader.int32();
        else if (key === 0x1a) strVal = reader.string();
        else throw unknown(reader, message.name, key >>> 3);
      }
      reader.end = outerEnd;
      return type === 1 ? strVal : intVal;
    },
    encode(writer, value, _message, path) {
      if (typeof value === 'number' && Number.isInteger(value)) {
        writer.tag(1, 0);
        writer.uint32(0);
        writer.tag(2, 0);
        writer.int64(value);
      } else if (typeof value === 'string') {
        writer.tag(1, 0);
        writer.uint32(1);
        writer.tag(3, 2);
        writer.string(value);
      } else throw new ProtobufError(`protobuf: ${path} must be an integer or a string (IntOrString)`);
    },
  },
  'k8s.io.apimachinery.pkg.runtime.RawExtension': rawJson(false),
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': rawJson(false),
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON': rawJson(true),
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': schemaOrList(2, true),
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': schemaOrList(2, false),
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': schemaOrBool,
};

/** Reads a []byte field's JSON form (base64) for encoding. */
export function bytesOf(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string') throw new ProtobufError(`protobuf: ${path} must be a base64 string ([]byte)`);
  try {
    return decodeBase64(value);
  } catch (cause) {
    throw new ProtobufError(`protobuf: ${path} is not base64 ([]byte)`, { cause });
  }
}

export type { WireWriter };

import type { ProtobufCodec, ProtobufTypeMeta } from '@kgo/rest';
import { decodeInto } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { specialForms } from './json-forms.ts';
import { type CompiledMessage, compileTables, type MessageTable } from './message-table.ts';
import { ProtobufError } from './protobuf-error.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

/**
 * The {@link ProtobufCodec} of one group-version (generated modules call this): `kinds` maps each
 * kind to its message's full name; `tables` are the message tables of every Go package its kinds reach.
 * Tables are compiled on first use.
 */
export function createProtobufCodec(apiVersion: string, kinds: Readonly<Record<string, string>>, tables: readonly (readonly MessageTable[])[]): ProtobufCodec {
  let compiled: Map<string, CompiledMessage> | undefined;
  const messageOf = (type: ProtobufTypeMeta): CompiledMessage => {
    const name = type.apiVersion === apiVersion && Object.hasOwn(kinds, type.kind) ? kinds[type.kind] : undefined;
    if (!name) throw new ProtobufError(`protobuf: this codec (${apiVersion}) does not know ${type.kind} of ${type.apiVersion}; use the codec of that group-version or JSON`);
    compiled ??= compileTables(tables.flat(), specialForms);
    return compiled.get(name) as CompiledMessage;
  };
  return {
    handles: (type) => type.apiVersion === apiVersion && Object.hasOwn(kinds, type.kind),
    decode(type, raw) {
      const message = messageOf(type);
      const out: Record<string, unknown> = { apiVersion: type.apiVersion, kind: type.kind };
      const reader = new WireReader(raw);
      decodeInto(message, reader, raw.length, out);
      if (reader.pos !== raw.length) throw reader.error('a field that overruns the message', message.name);
      // The server always answers a list with a non-nil slice (`"items": []`); protobuf cannot
      // tell an empty slice from a nil one.
      if (out.items === null && message.byNumber[2]?.json === 'items') out.items = [];
      return out;
    },
    encode(type, object) {
      const message = messageOf(type);
      const writer = new WireWriter();
      encodeMessage(writer, message, object, '');
      return writer.finish();
    },
  };
}

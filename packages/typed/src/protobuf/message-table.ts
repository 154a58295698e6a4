/*
 * The message tables generated code hands to the runtime: per message, its fields as compact
 * tuples (number, JSON name, type, flags). The runtime compiles them once into lookups by field
 * number.
 */

/** Scalar field types (anything else is the full name of a message). */
export const Scalar = { string: 1, bool: 2, int32: 3, int64: 4, double: 5, bytes: 6 } as const;

/** Field flags. */
export const Flag = {
  /** `repeated`: a JSON array. */
  repeated: 1,
  /** `map<string, …>`: a JSON object; the type is the value's. */
  map: 2,
  /** `json:",omitempty"`: left out when zero (empty for slices, maps, strings; nil for pointers). */
  omitEmpty: 4,
  /** A Go pointer, slice, map or []byte: `null` in JSON when absent and not omitempty. */
  nullable: 8,
  /** An embedded struct whose JSON fields are promoted into the parent (`json:",inline"`). */
  inline: 16,
  /** `json:",omitzero"`: left out when its zero value. */
  omitZero: 32,
} as const;

/** One field: number, JSON name (`''`: the message's JSON is this field's value), type, flags. */
export type FieldSpec = readonly [number: number, json: string, type: number | string, flags: number];

/**
 * The messages of one protobuf package by name. A message type in a field is relative to the
 * package when it has no dot (`PodSpec`), else a full name.
 */
export interface MessageTable {
  readonly package: string;
  readonly messages: Readonly<Record<string, readonly FieldSpec[]>>;
}

/** A field compiled for decoding and encoding. */
export interface CompiledField {
  readonly number: number;
  readonly json: string;
  /** A scalar type, or 0 for a message. */
  readonly scalar: number;
  readonly flags: number;
  readonly repeated: boolean;
  readonly map: boolean;
  readonly inline: boolean;
  /** The message of a message field (resolved after every table is compiled). */
  message: CompiledMessage | undefined;
  /** The expected wire type of the field on the wire (2 for messages, strings, bytes and map entries). */
  readonly wireType: number;
  /** The wire type of one value (a map entry's value for maps). */
  readonly valueWireType: number;
}

/** A message compiled from its table entry, or one of the types with their own JSON form. */
export interface CompiledMessage {
  readonly name: string;
  /** Fields by number (sparse). */
  readonly byNumber: (CompiledField | undefined)[];
  readonly fields: readonly CompiledField[];
  /** JSON names this message accepts when encoding (inlined fields' included). */
  readonly jsonNames: Set<string>;
  /** Set for the types with their own JSON form (Time, Quantity, IntOrString, …). */
  readonly special: SpecialForm | undefined;
  /** A message whose JSON is one repeated field (Go named slices such as ExtraValue). */
  readonly wrapper: boolean;
  /** The message a special form holds. */
  ref: CompiledMessage | undefined;
}

/** A type with its own JSON form: decodes its message straight to that form and back. */
export interface SpecialForm {
  decode(reader: import('./wire-reader.ts').WireReader, end: number, message: CompiledMessage, decodeField: (message: CompiledMessage, reader: import('./wire-reader.ts').WireReader, end: number) => unknown): unknown;
  encode(writer: import('./wire-writer.ts').WireWriter, value: unknown, message: CompiledMessage, path: string, encodeMessage: (message: CompiledMessage, value: unknown, path: string) => void): void;
  /** The JSON of the Go zero value (an absent value field). */
  readonly zero: unknown;
  /** The message it holds (JSONSchemaProps), resolved into {@link CompiledMessage.ref}. */
  readonly ref?: string;
}

const wireTypes: Record<number, number> = { [Scalar.string]: 2, [Scalar.bool]: 0, [Scalar.int32]: 0, [Scalar.int64]: 0, [Scalar.double]: 1, [Scalar.bytes]: 2 };

/**
 * Compiles message tables into one lookup by name, resolving message references across tables.
 * Throws when a reference names a message no table (nor the special forms) has.
 */
export function compileTables(tables: readonly MessageTable[], specials: Readonly<Record<string, SpecialForm>>): Map<string, CompiledMessage> {
  const compiled = new Map<string, CompiledMessage>();
  const pending: [CompiledField, string][] = [];
  for (const [name, special] of Object.entries(specials)) {
    compiled.set(name, { name, byNumber: [], fields: [], jsonNames: new Set(), special, wrapper: false, ref: undefined });
  }
  for (const table of tables) {
    for (const local in table.messages) {
      const name = `${table.package}.${local}`;
      if (compiled.has(name)) continue;
      const specs = table.messages[local] as readonly FieldSpec[];
      const fields: CompiledField[] = [];
      const byNumber: (CompiledField | undefined)[] = [];
      for (const [number, json, type, flags] of specs) {
        const field: CompiledField = {
          number,
          json,
          scalar: typeof type === 'number' ? type : 0,
          flags,
          repeated: (flags & Flag.repeated) !== 0,
          map: (flags & Flag.map) !== 0,
          inline: (flags & Flag.inline) !== 0,
          message: undefined,
          wireType: typeof type === 'number' && !(flags & Flag.map) ? (wireTypes[type] as number) : 2,
          valueWireType: typeof type === 'number' ? (wireTypes[type] as number) : 2,
        };
        if (typeof type === 'string') pending.push([field, type.includes('.') ? type : `${table.package}.${type}`]);
        fields.push(field);
        byNumber[number] = field;
      }
      compiled.set(name, { name, byNumber, fields, jsonNames: new Set(), special: undefined, wrapper: specs.length === 1 && specs[0]?.[1] === '' && !((specs[0]?.[3] ?? 0) & Flag.inline), ref: undefined });
    }
  }
  for (const [field, type] of pending) {
    const message = compiled.get(type);
    if (!message) throw new Error(`protobuf tables: message ${type} is referenced but not generated`);
    field.message = message;
  }
  for (const message of compiled.values()) {
    // A special form's message only matters when a table holds it (CRDs' JSONSchemaProps).
    if (message.special?.ref) message.ref = compiled.get(message.special.ref);
  }
  for (const message of compiled.values()) collectJsonNames(message, message.jsonNames);
  return compiled;
}

function collectJsonNames(message: CompiledMessage, into: Set<string>): void {
  for (const field of message.fields) {
    if (field.inline && field.message) collectJsonNames(field.message, into);
    else into.add(field.json);
  }
}

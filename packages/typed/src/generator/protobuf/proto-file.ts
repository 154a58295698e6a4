/*
 * A reader of the .proto files go-to-protobuf writes for Kubernetes (proto2, flat messages,
 * `optional`/`repeated` scalars and messages, `map<string, …>`): enough for the wire layout.
 */

/** One field of a .proto message. */
export interface ProtoField {
  readonly name: string;
  readonly number: number;
  readonly label: 'optional' | 'repeated' | 'map';
  /** A scalar type (`string`, `int32`, …) or a message's full name. */
  readonly type: string;
}

/** Protobuf scalar types the Kubernetes messages use. */
export const protoScalars = new Set(['string', 'bool', 'int32', 'int64', 'double', 'bytes']);

/** Reads the messages of one .proto file: full name → fields. Throws on syntax it does not know. */
export function parseProtoFile(text: string, file: string): Map<string, ProtoField[]> {
  const messages = new Map<string, ProtoField[]>();
  let pkg = '';
  let current: ProtoField[] | undefined;
  const resolve = (type: string) => (protoScalars.has(type) ? type : type.startsWith('.') ? type.slice(1) : `${pkg}.${type}`);
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line === '' || line.startsWith('//') || line.startsWith('import ') || line.startsWith('option ') || line.startsWith('syntax ')) continue;
    let match: RegExpExecArray | null;
    if ((match = /^package ([\w.]+);$/.exec(line))) pkg = match[1] as string;
    else if ((match = /^message (\w+) \{$/.exec(line))) {
      if (current) throw new Error(`${where}: nested message`);
      current = [];
      messages.set(`${pkg}.${match[1]}`, current);
    } else if (line === '}') current = undefined;
    else if ((match = /^(optional|repeated) ([\w.]+) (\w+) = (\d+);$/.exec(line)) && current) {
      current.push({ label: match[1] as 'optional' | 'repeated', type: resolve(match[2] as string), name: match[3] as string, number: Number(match[4]) });
    } else if ((match = /^map<string, ([\w.]+)> (\w+) = (\d+);$/.exec(line)) && current) {
      current.push({ label: 'map', type: resolve(match[1] as string), name: match[2] as string, number: Number(match[3]) });
    } else throw new Error(`${where}: unexpected .proto syntax: ${line}`);
  }
  return messages;
}

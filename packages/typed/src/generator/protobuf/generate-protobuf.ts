import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { specialTypeNames } from '../../protobuf/special-types.ts';
import { Flag, Scalar } from '../../protobuf/message-table.ts';
import { generatedHeader } from '../generated-header.ts';
import { groupAccessor } from '../naming.ts';
import { locateSchema } from '../schema-modules.ts';
import { parseProtoFile, type ProtoField } from './proto-file.ts';

/*
 * Generates the protobuf codecs of the built-in group-versions from the committed inputs in
 * protobuf/ (see scripts/dump-protobuf.ts): the .proto files give the wire layout, schema.json the
 * JSON facts (names, omitempty, pointers, inlined structs, custom JSON forms). Every Go field is
 * checked against its .proto field (number, name, repeated or map, type) and every .proto field
 * must have a Go field: any disagreement stops generation.
 */

/** A Go type as schema.json describes it (scripts/proto-schema/main.go). */
interface Shape {
  kind: string;
  ref?: string;
  elem?: Shape;
  key?: Shape;
}

interface GoField {
  go: string;
  json?: string;
  inline?: boolean;
  omitempty?: boolean;
  omitzero?: boolean;
  proto: string;
  shape: Shape;
}

interface GoType {
  fields?: GoField[];
  shape?: Shape;
  customJSON?: boolean;
}

interface ProtoSchema {
  kubernetes: string;
  kinds: { apiVersion: string; kind: string; type: string }[];
  types: Record<string, GoType>;
}

const goScalars: Record<string, { proto: string; code: number }> = {
  string: { proto: 'string', code: Scalar.string },
  bool: { proto: 'bool', code: Scalar.bool },
  int32: { proto: 'int32', code: Scalar.int32 },
  int64: { proto: 'int64', code: Scalar.int64 },
  float64: { proto: 'double', code: Scalar.double },
  bytes: { proto: 'bytes', code: Scalar.bytes },
};

function packageOf(name: string): string {
  return name.slice(0, name.lastIndexOf('.'));
}

/** The generated module of a protobuf package: `k8s.io.api.apps.v1` → `apps/v1`, apimachinery's → `apimachinery` or `meta/v1`. */
export function moduleOfPackage(pkg: string): string {
  return locateSchema(`io.k8s.${pkg.slice('k8s.io.'.length).replace('apiextensions_apiserver', 'apiextensions-apiserver').replace('kube_aggregator', 'kube-aggregator')}.X`).module;
}

function tableName(module: string): string {
  return module === 'apimachinery' ? 'apimachineryMessages' : `${groupAccessor(module)}Messages`;
}

function readProtos(dir: string): Map<string, ProtoField[]> {
  const messages = new Map<string, ProtoField[]>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.proto')) for (const [name, fields] of parseProtoFile(readFileSync(path, 'utf8'), relative(dir, path))) messages.set(name, fields);
    }
  };
  walk(dir);
  return messages;
}

/**
 * Generates `<module>/protobuf.ts` for every group-version with kinds (its message table and its
 * codec) and for the apimachinery packages they share: file path (relative to the generated
 * folder) → content. Deterministic.
 */
export function generateProtobuf(protobufDir: string, gitVersion: string): Map<string, string> {
  const schema = JSON.parse(readFileSync(join(protobufDir, 'schema.json'), 'utf8')) as ProtoSchema;
  if (schema.kubernetes !== gitVersion) {
    throw new Error(`protobuf generation: protobuf/schema.json is of Kubernetes ${schema.kubernetes} but the OpenAPI of ${gitVersion}: re-run scripts/dump-protobuf.ts`);
  }
  const header = generatedHeader(`the .proto files and Go struct tags of Kubernetes ${gitVersion} (protobuf/)`);
  const protos = readProtos(join(protobufDir, 'proto'));
  const tables = new Map<string, Map<string, string[]>>(); // package → message → field tuples
  const references = new Map<string, Set<string>>(); // module → modules it refers to

  const fail = (where: string, what: string): never => {
    throw new Error(`protobuf generation: ${where}: ${what} (protobuf/schema.json and the .proto files disagree; re-run scripts/dump-protobuf.ts)`);
  };
  /** A named slice or map that is not a message of its own stands for its shape. */
  const resolveNamed = (shape: Shape): Shape => {
    if (shape.kind !== 'ref') return shape;
    const named = schema.types[shape.ref as string];
    if (named?.shape && !protos.has(shape.ref as string)) return named.shape;
    return shape;
  };
  /** The field type of a value: a scalar code or a message name (relative within `pkg`). */
  const valueType = (shape: Shape, proto: ProtoField, pkg: string, where: string): number | string => {
    const resolved = resolveNamed(shape.kind === 'ptr' ? (shape.elem as Shape) : shape);
    if (resolved.kind === 'ref') {
      const ref = resolved.ref as string;
      if (proto.type !== ref) fail(where, `Go type ${ref} but .proto type ${proto.type}`);
      if (!schema.types[ref]) fail(where, `no Go type ${ref}`);
      const from = moduleOfPackage(pkg);
      const to = moduleOfPackage(packageOf(ref));
      if (from !== to) references.set(from, (references.get(from) ?? new Set()).add(to));
      return packageOf(ref) === pkg ? ref.slice(pkg.length + 1) : ref;
    }
    const scalar = goScalars[resolved.kind];
    if (!scalar) return fail(where, `Go kind ${resolved.kind} has no protobuf mapping here`);
    if (proto.type !== scalar.proto) fail(where, `Go ${resolved.kind} but .proto ${proto.type}`);
    return scalar.code;
  };

  for (const name of Object.keys(schema.types).sort()) {
    const type = schema.types[name] as GoType;
    const pkg = packageOf(name);
    const message = protos.get(name);
    if (type.customJSON) {
      if (!(specialTypeNames as readonly string[]).includes(name)) fail(name, 'a type with its own JSON form that src/protobuf/json-forms.ts does not implement');
      continue;
    }
    if (type.shape) {
      if (!message) continue; // a named slice or map used as its shape
      const [items] = message;
      if (message.length !== 1 || !items || items.name !== 'items' || items.number !== 1 || items.label !== 'repeated' || type.shape.kind !== 'slice') fail(name, 'a named slice whose message is not `repeated … items = 1`');
      const elemType = valueType(type.shape.elem as Shape, items as ProtoField, pkg, name);
      tables.set(pkg, (tables.get(pkg) ?? new Map()).set(name.slice(pkg.length + 1), [`[1, '', ${JSON.stringify(elemType)}, ${Flag.repeated | Flag.nullable}]`]));
      continue;
    }
    if (!message) fail(name, 'a Go struct without a .proto message');
    const byNumber = new Map((message as ProtoField[]).map((field) => [field.number, field]));
    const seen = new Set<number>();
    const tuples: string[] = [];
    for (const field of type.fields ?? []) {
      const where = `${name}.${field.go}`;
      const [, number, ...options] = field.proto.split(',');
      const nameOption = options.find((option) => option.startsWith('name='));
      const proto = byNumber.get(Number(number));
      if (!proto) return fail(where, `protobuf field ${number} is not in the .proto message`);
      // An inlined struct's tag may leave the name out (`bytes,1,req`): the number decides.
      if (nameOption !== `name=${proto.name}` && !(field.inline && nameOption === undefined)) fail(where, `protobuf tag ${nameOption} but .proto field ${proto.name}`);
      seen.add(proto.number);
      let flags = 0;
      let shape = field.shape;
      if (shape.kind === 'ptr') flags |= Flag.nullable;
      shape = resolveNamed(shape.kind === 'ptr' ? (shape.elem as Shape) : shape);
      let valueShape = shape;
      if (shape.kind === 'slice') {
        flags |= Flag.repeated | Flag.nullable;
        valueShape = shape.elem as Shape;
      } else if (shape.kind === 'map') {
        if (resolveNamed(shape.key as Shape).kind !== 'string') fail(where, 'a map whose key is not a string');
        flags |= Flag.map | Flag.nullable;
        valueShape = shape.elem as Shape;
      } else if (shape.kind === 'bytes') flags |= Flag.nullable;
      const label = flags & Flag.repeated ? 'repeated' : flags & Flag.map ? 'map' : 'optional';
      if (proto.label !== label) fail(where, `Go ${label} but .proto ${proto.label}`);
      if (field.omitempty) flags |= Flag.omitEmpty;
      if (field.omitzero) flags |= Flag.omitZero;
      if (field.inline) {
        flags |= Flag.inline;
        if (valueShape.kind !== 'ref' || schema.types[valueShape.ref as string]?.customJSON) fail(where, 'an inlined field that is not a struct');
      }
      const fieldType = valueType(valueShape, proto, pkg, where);
      tuples.push(`[${proto.number}, ${JSON.stringify(field.inline ? field.go : field.json)}, ${JSON.stringify(fieldType)}, ${flags}]`);
    }
    for (const proto of message as ProtoField[]) if (!seen.has(proto.number)) fail(`${name}.${proto.name}`, 'a .proto field without a Go field');
    tables.set(pkg, (tables.get(pkg) ?? new Map()).set(name.slice(pkg.length + 1), tuples));
  }

  // Kinds by module, each module one apiVersion.
  const kinds = new Map<string, { apiVersion: string; entries: [string, string][] }>();
  for (const { apiVersion, kind, type } of schema.kinds) {
    const pkg = packageOf(type);
    const module = moduleOfPackage(pkg);
    const entry = kinds.get(module) ?? { apiVersion, entries: [] };
    if (entry.apiVersion !== apiVersion) fail(module, `kinds of two apiVersions (${entry.apiVersion}, ${apiVersion})`);
    entry.entries.push([kind, type]);
    kinds.set(module, entry);
  }

  // One file per module: its packages' tables, and a codec when it has kinds.
  const modules = new Map<string, string[]>();
  for (const pkg of [...tables.keys()].sort()) modules.set(moduleOfPackage(pkg), [...(modules.get(moduleOfPackage(pkg)) ?? []), pkg]);
  const closure = (module: string, into = new Set<string>()): Set<string> => {
    for (const next of [...(references.get(module) ?? [])].sort()) {
      if (next !== module && !into.has(next)) {
        into.add(next);
        closure(next, into);
      }
    }
    return into;
  };
  const files = new Map<string, string>();
  for (const [module, packages] of [...modules].sort(([a], [b]) => a.localeCompare(b))) {
    const up = '../'.repeat(module.split('/').length);
    const runtime = `${up}../protobuf`;
    // Modules whose types are all special forms (apimachinery's Quantity, IntOrString, …) have no table.
    const deps = [...closure(module)].filter((dep) => dep !== module && modules.has(dep)).sort();
    const direct = deps;
    const kindEntry = kinds.get(module);
    let code = header;
    if (kindEntry) code += `import type { ProtobufCodec } from '@kgo/rest';\nimport { createProtobufCodec } from '${runtime}/codec.ts';\n`;
    code += `import type { MessageTable } from '${runtime}/message-table.ts';\n`;
    for (const dep of direct) code += `import { ${tableName(dep)} } from '${up}${dep}/protobuf.ts';\n`;
    code += `\n/** The protobuf messages of ${packages.join(', ')}: fields as [number, JSON name, type, flags]. */\nexport const ${tableName(module)}: readonly MessageTable[] = [\n`;
    for (const pkg of packages) {
      const messages = tables.get(pkg) as Map<string, string[]>;
      code += `  {\n    package: ${JSON.stringify(pkg)},\n    messages: {\n`;
      for (const [local, tuples] of [...messages].sort(([a], [b]) => a.localeCompare(b))) {
        code += `      ${local}: [${tuples.join(', ')}],\n`;
      }
      code += '    },\n  },\n';
    }
    code += '];\n';
    if (kindEntry) {
      const accessor = groupAccessor(module);
      const pkg = packages[0] as string;
      const entries = kindEntry.entries.sort(([a], [b]) => a.localeCompare(b)).map(([kind, type]) => `  ${kind}: ${JSON.stringify(type.startsWith(`${pkg}.`) ? type : type)},\n`);
      code +=
        `\n/**\n * The protobuf codec of ${kindEntry.apiVersion} (Kubernetes ${schema.kubernetes}): decodes every kind of the group-version into\n * the object its JSON gives, and encodes it back. Pass it to a client with \`{ protobuf: ${accessor}Protobuf }\`.\n */\n` +
        `export const ${accessor}Protobuf: ProtobufCodec = /* @__PURE__ */ createProtobufCodec(${JSON.stringify(kindEntry.apiVersion)}, {\n${entries.join('')}}, [${[tableName(module), ...deps.map(tableName)].join(', ')}]);\n`;
    }
    files.set(`${module}/protobuf.ts`, code);
  }
  return files;
}

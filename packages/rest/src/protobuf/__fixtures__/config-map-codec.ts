/*
 * Test-only: a tiny hand-written codec for v1 ConfigMap and ConfigMapList, enough to check
 * @kgo/rest's protobuf plumbing against the real server without generated code
 * (k8s.io/api/core/v1/generated.proto):
 *
 *   ConfigMap     { ObjectMeta metadata = 1; map<string,string> data = 2; map<string,bytes> binaryData = 3; bool immutable = 4; }
 *   ConfigMapList { ListMeta metadata = 1; repeated ConfigMap items = 2; }
 *   ObjectMeta    { string name = 1; string generateName = 2; string namespace = 3; string uid = 5; string resourceVersion = 6; … map labels = 11; map annotations = 12; }
 */
import type { ProtobufCodec, ProtobufTypeMeta } from '../protobuf-codec.ts';
import { decodeListMeta } from '../status-message.ts';
import { ProtobufReader, WireType } from '../wire-reader.ts';
import { ProtobufWriter } from '../wire-writer.ts';

/** The fields of a ConfigMap this codec knows. */
export interface TestConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; generateName?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  immutable?: boolean;
}

/** Reads metadata.name (and the other ObjectMeta strings) from a ConfigMap message. */
export function decodeObjectMeta(raw: Uint8Array): TestConfigMap['metadata'] {
  const reader = new ProtobufReader(raw, 'ObjectMeta');
  const meta: TestConfigMap['metadata'] = {};
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType !== WireType.LengthDelimited) reader.skip(wireType);
    else if (field === 1) meta.name = reader.string();
    else if (field === 2) meta.generateName = reader.string();
    else if (field === 3) meta.namespace = reader.string();
    else if (field === 5) meta.uid = reader.string();
    else if (field === 6) meta.resourceVersion = reader.string();
    else if (field === 11) {
      const [key, value] = decodeMapEntry(reader.bytes());
      (meta.labels ??= {})[key] = value;
    } else reader.skip(wireType);
  }
  for (const key of Object.keys(meta) as (keyof typeof meta)[]) if (meta[key] === '') delete meta[key];
  return meta;
}

function decodeMapEntry(raw: Uint8Array): [string, string] {
  const reader = new ProtobufReader(raw, 'map entry');
  let key = '';
  let value = '';
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) key = reader.string();
    else if (field === 2 && wireType === WireType.LengthDelimited) value = reader.string();
    else reader.skip(wireType);
  }
  return [key, value];
}

/** Decodes a v1 ConfigMap message. */
export function decodeConfigMap(raw: Uint8Array): TestConfigMap {
  const reader = new ProtobufReader(raw, 'ConfigMap');
  const configMap: TestConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) configMap.metadata = decodeObjectMeta(reader.bytes());
    else if (field === 2 && wireType === WireType.LengthDelimited) {
      const [key, value] = decodeMapEntry(reader.bytes());
      (configMap.data ??= {})[key] = value;
    } else if (field === 4 && wireType === WireType.Varint) configMap.immutable = reader.bool();
    else reader.skip(wireType);
  }
  return configMap;
}

/** Encodes a ConfigMap (name, generateName, namespace, resourceVersion, labels, data, immutable). */
export function encodeConfigMap(object: TestConfigMap): Uint8Array {
  const writer = new ProtobufWriter();
  const meta = object.metadata;
  writer.message(1, (w) => {
    if (meta.name) w.string(1, meta.name);
    if (meta.generateName) w.string(2, meta.generateName);
    if (meta.namespace) w.string(3, meta.namespace);
    if (meta.resourceVersion) w.string(6, meta.resourceVersion);
    for (const [key, value] of Object.entries(meta.labels ?? {}).sort()) w.message(11, (e) => e.string(1, key).string(2, value));
  });
  for (const [key, value] of Object.entries(object.data ?? {}).sort()) writer.message(2, (e) => e.string(1, key).string(2, value));
  if (object.immutable !== undefined) writer.bool(4, object.immutable);
  return writer.finish();
}

/** The test codec: v1 ConfigMap and ConfigMapList; counts its calls. */
export function configMapCodec(): ProtobufCodec & { decoded: string[]; encoded: string[] } {
  const decoded: string[] = [];
  const encoded: string[] = [];
  const handles = (type: ProtobufTypeMeta) => type.apiVersion === 'v1' && (type.kind === 'ConfigMap' || type.kind === 'ConfigMapList');
  return {
    decoded,
    encoded,
    handles,
    decode(type, raw) {
      decoded.push(type.kind);
      if (type.kind === 'ConfigMap') return decodeConfigMap(raw) as unknown as Record<string, unknown>;
      const reader = new ProtobufReader(raw, 'ConfigMapList');
      const list = { apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items: [] as TestConfigMap[] };
      while (!reader.done) {
        const { field, wireType } = reader.tag();
        if (field === 1 && wireType === WireType.LengthDelimited) list.metadata = decodeListMeta(reader.bytes());
        else if (field === 2 && wireType === WireType.LengthDelimited) list.items.push(decodeConfigMap(reader.bytes()));
        else reader.skip(wireType);
      }
      return list;
    },
    encode(type, object) {
      if (!handles(type) || type.kind !== 'ConfigMap') throw new TypeError(`test codec cannot encode ${type.kind}`);
      encoded.push(type.kind);
      return encodeConfigMap(object as TestConfigMap);
    },
  };
}

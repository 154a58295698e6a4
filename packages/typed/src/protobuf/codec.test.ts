import { describe, expect, it } from 'vitest';
import { apiextensionsV1Protobuf } from '../generated/apiextensions/v1/protobuf.ts';
import { appsV1Protobuf } from '../generated/apps/v1/protobuf.ts';
import { coordinationV1Protobuf } from '../generated/coordination/v1/protobuf.ts';
import { coreV1Protobuf } from '../generated/core/v1/protobuf.ts';
import { ProtobufError } from './protobuf-error.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

/* The codecs without a server: round trips of every JSON form, and errors for bad input. */

const pod = { apiVersion: 'v1', kind: 'Pod' };
const roundTrip = (codec: typeof coreV1Protobuf, type: { apiVersion: string; kind: string }, object: object) => codec.decode(type, codec.encode(type, object));

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const samplePod = {
  metadata: { name: 'p', namespace: 'ns', labels: { a: 'b', __proto__: 'kept as a key' } as Record<string, string>, creationTimestamp: '2026-01-02T03:04:05Z', generation: -3 },
  spec: {
    containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { port: 'http' } }, livenessProbe: { tcpSocket: { port: 8080 } }, resources: { limits: { cpu: '1500m' } } }],
    volumes: [{ name: 'v', emptyDir: {} }],
    activeDeadlineSeconds: 9007199254740991,
  },
};

describe('protobuf codecs: JSON forms round-trip', () => {
  it('a pod: int-or-string, Quantity, Time, inlined VolumeSource and ProbeHandler, int64 extremes, maps, defaults of absent fields', () => {
    const labels = Object.defineProperty({ a: 'b' } as Record<string, string>, '__proto__', { value: 'kept as a key', enumerable: true });
    const decoded = roundTrip(coreV1Protobuf, pod, { ...samplePod, metadata: { ...samplePod.metadata, labels } });
    expect(Object.getPrototypeOf(decoded.metadata as object)).toBe(Object.prototype);
    const metadata = decoded.metadata as { labels: Record<string, string>; generation: number };
    expect(Object.keys(metadata.labels)).toEqual(['__proto__', 'a']);
    expect(metadata.generation).toBe(-3);
    const spec = decoded.spec as Record<string, unknown> & { containers: Record<string, unknown>[]; volumes: unknown[] };
    expect(spec.activeDeadlineSeconds).toBe(9007199254740991);
    expect(spec.containers[0]).toEqual({
      name: 'c',
      image: 'i',
      ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { port: 'http' } },
      livenessProbe: { tcpSocket: { port: 8080 } },
      resources: { limits: { cpu: '1500m' } },
    });
    expect(spec.volumes).toEqual([{ name: 'v', emptyDir: {} }]);
    expect(decoded.status).toEqual({}); // a value struct: always written, as encoding/json does
    expect(decoded.apiVersion).toBe('v1');
    expect(decoded.kind).toBe('Pod');
  });

  it('MicroTime keeps microseconds, Time keeps seconds, and both accept any RFC 3339 offset', () => {
    const lease = roundTrip(coordinationV1Protobuf, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' }, { metadata: { name: 'l', creationTimestamp: '2026-01-02T05:04:05+02:00' }, spec: { renewTime: '2026-01-02T03:04:05.1234567Z' } });
    expect((lease.spec as { renewTime: string }).renewTime).toBe('2026-01-02T03:04:05.123456Z');
    expect((lease.metadata as { creationTimestamp: string }).creationTimestamp).toBe('2026-01-02T03:04:05Z');
    expect(() => coordinationV1Protobuf.encode({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' }, { spec: { renewTime: 'yesterday' } })).toThrow(/spec\.renewTime is not an RFC 3339 time/);
  });

  it('RawExtension and []byte: embedded JSON and base64, every byte value', () => {
    const data = { a: [1, 'two', null, { three: true }] };
    const revision = roundTrip(appsV1Protobuf, { apiVersion: 'apps/v1', kind: 'ControllerRevision' }, { metadata: { name: 'r' }, data, revision: 2 });
    expect(revision.data).toEqual(data);
    const bytes = Buffer.from(Uint8Array.from({ length: 256 }, (_, index) => index)).toString('base64');
    const secret = roundTrip(coreV1Protobuf, { apiVersion: 'v1', kind: 'Secret' }, { metadata: { name: 's' }, data: { k: bytes, empty: '' } });
    expect(secret.data).toEqual({ k: bytes, empty: '' });
  });

  it('apiextensions JSONSchemaProps: $ref-free schemas, x-kubernetes-* fields, defaults and enums as JSON, OrBool and OrArray forms', () => {
    const type = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
    const schema = {
      type: 'object',
      properties: {
        spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { a: 1 }, additionalProperties: false },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
        size: { type: 'string', enum: ['s', 'l'], maxLength: 3 },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        list: { type: 'array', items: { type: 'number', minimum: -1.5 }, 'x-kubernetes-list-type': 'set' },
      },
      'x-kubernetes-validations': [{ rule: 'self.size != "x"', message: 'no x' }],
    };
    const crd = { metadata: { name: 'ws.k.io' }, spec: { group: 'k.io', scope: 'Namespaced', names: { plural: 'ws', kind: 'W' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] } };
    const decoded = roundTrip(apiextensionsV1Protobuf, type, crd);
    const props = ((decoded.spec as { versions: { schema: { openAPIV3Schema: { properties: Record<string, Record<string, unknown>> } } }[] }).versions[0]?.schema.openAPIV3Schema.properties) as Record<string, Record<string, unknown>>;
    expect(props.spec).toEqual(schema.properties.spec);
    expect(props.tags).toEqual(schema.properties.tags);
    expect(props.size).toEqual(schema.properties.size);
    expect(props.port).toEqual(schema.properties.port);
    expect(props.list).toEqual(schema.properties.list);
  });
});

describe('protobuf codecs: bad input is a ProtobufError, never a crash', () => {
  const good = coreV1Protobuf.encode(pod, samplePod);

  it('truncated bytes, at every length', () => {
    for (let length = 1; length < good.length; length++) {
      let error: unknown;
      try {
        coreV1Protobuf.decode(pod, good.subarray(0, length));
      } catch (caught) {
        error = caught;
      }
      // Some prefixes end on a field boundary and are a valid (smaller) pod; the rest must fail cleanly.
      if (error !== undefined) expect(ProtobufError.isInstance(error), `length ${length}: ${String(error)}`).toBe(true);
    }
  });

  it('seeded random bytes and random corruptions of a real pod', () => {
    const next = random(15);
    let errors = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = round % 2 === 0 ? Uint8Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)) : Uint8Array.from(good);
      if (round % 2 === 1) for (let flips = 0; flips < 3; flips++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      try {
        coreV1Protobuf.decode(pod, bytes);
      } catch (error) {
        errors++;
        if (!ProtobufError.isInstance(error)) throw new Error(`round ${round}: not a ProtobufError: ${String(error)}`);
        expect((error as Error).message).toMatch(/^protobuf: /);
      }
    }
    expect(errors).toBeGreaterThan(1000);
  });

  it('messages nested past the depth limit, and objects that contain themselves', () => {
    // JSONSchemaProps.not (field 28) nested 5,000 times, built inside out.
    let inner: Uint8Array = new Uint8Array();
    for (let level = 0; level < 5000; level++) {
      const writer = new WireWriter();
      writer.tag(28, 2);
      writer.bytes(inner);
      inner = writer.finish();
    }
    const crd = new WireWriter();
    const spec = new WireWriter();
    const version = new WireWriter();
    const validation = new WireWriter();
    validation.tag(1, 2); // CustomResourceValidation.openAPIV3Schema
    validation.bytes(inner);
    version.tag(4, 2); // CustomResourceDefinitionVersion.schema
    version.bytes(validation.finish());
    spec.tag(7, 2); // CustomResourceDefinitionSpec.versions
    spec.bytes(version.finish());
    crd.tag(2, 2); // CustomResourceDefinition.spec
    crd.bytes(spec.finish());
    const type = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
    expect(() => apiextensionsV1Protobuf.decode(type, crd.finish())).toThrow(/nested deeper than 1000 levels/);
    const schema: Record<string, unknown> = { type: 'object' };
    schema.not = schema;
    expect(() => apiextensionsV1Protobuf.encode(type, { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] } })).toThrow(/nested deeper than 1000 levels \(an object that contains itself\?\)/);
    // The codec still works afterwards (its depth bookkeeping unwound).
    expect(roundTrip(coreV1Protobuf, pod, samplePod).kind).toBe('Pod');
  });

  it('an unknown field number names the message and the field', () => {
    const writer = new WireWriter();
    writer.tag(99, 0);
    writer.uint32(1);
    expect(() => coreV1Protobuf.decode(pod, writer.finish())).toThrow(/field 99 .* of k8s\.io\.api\.core\.v1\.Pod/);
  });

  it('a wrong wire type names the field', () => {
    const writer = new WireWriter();
    writer.tag(1, 0); // metadata as a varint
    writer.uint32(5);
    expect(() => coreV1Protobuf.decode(pod, writer.finish())).toThrow(/field metadata with wire type 0 \(expected 2\)/);
  });

  it('a kind the codec does not know', () => {
    expect(() => coreV1Protobuf.decode({ apiVersion: 'apps/v1', kind: 'Deployment' }, new Uint8Array())).toThrow(/does not know Deployment of apps\/v1/);
    expect(coreV1Protobuf.handles({ apiVersion: 'v1', kind: 'PodList' })).toBe(true);
    expect(coreV1Protobuf.handles({ apiVersion: 'v1', kind: 'Widget' })).toBe(false);
  });

  it('a RawExtension holding protobuf (not JSON) says to read the object over JSON', () => {
    const inner = new WireWriter();
    inner.tag(1, 2);
    inner.bytes(Uint8Array.from([0x6b, 0x38, 0x73, 0, 1, 2]));
    const writer = new WireWriter();
    writer.tag(2, 2);
    writer.bytes(inner.finish());
    expect(() => appsV1Protobuf.decode({ apiVersion: 'apps/v1', kind: 'ControllerRevision' }, writer.finish())).toThrow(/protobuf-encoded object.*over JSON/);
  });

  it('encoding: a field the message lacks, and values of the wrong type, name the path', () => {
    expect(() => coreV1Protobuf.encode(pod, { spec: { containers: [{ name: 'c', imagee: 'typo' }] } })).toThrow(/spec\.containers\[0\]\.imagee is not a field of k8s\.io\.api\.core\.v1\.Container/);
    expect(() => coreV1Protobuf.encode(pod, { spec: { containers: [{ name: 7 }] } })).toThrow(/spec\.containers\[0\]\.name must be a string/);
    expect(() => coreV1Protobuf.encode(pod, { spec: { containers: { name: 'c' } } })).toThrow(/spec\.containers must be an array/);
    expect(() => coreV1Protobuf.encode(pod, { spec: { priority: 2 ** 40 } })).toThrow(/spec\.priority does not fit in an int32/);
    expect(() => coreV1Protobuf.encode(pod, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 1.5 }] }] } })).toThrow(/hostPort must be an integer/);
    expect(() => coreV1Protobuf.encode({ apiVersion: 'v1', kind: 'Secret' }, { data: { k: '***not base64***' } })).toThrow(/data\.k is not base64/);
    expect(() => coreV1Protobuf.encode(pod, { spec: { containers: [{ name: 'c', readinessProbe: { httpGet: { port: true } } }] } })).toThrow(/port must be an integer or a string/);
  });
});

describe('wire reader and writer', () => {
  it('int64 varints: zero, extremes of 2^53, negatives as 10 bytes', () => {
    for (const value of [0, 1, 127, 128, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -(2 ** 31), -(2 ** 40), Number.MIN_SAFE_INTEGER]) {
      const writer = new WireWriter();
      writer.int64(value);
      const bytes = writer.finish();
      if (value < 0) expect(bytes.length).toBe(10);
      expect(new WireReader(bytes).int64()).toBe(value);
    }
  });

  it('strings: ASCII, multi-byte, long; sub-messages longer than 127 bytes', () => {
    for (const text of ['', 'a', 'ünïcödé ✓ 😀', 'x'.repeat(300)]) {
      const writer = new WireWriter();
      const start = writer.beginMessage();
      writer.string(text);
      writer.string(text);
      writer.endMessage(start);
      const reader = new WireReader(writer.finish());
      const length = reader.length();
      expect(length).toBe(reader.end - reader.pos);
      expect(reader.string()).toBe(text);
      expect(reader.string()).toBe(text);
    }
  });
});

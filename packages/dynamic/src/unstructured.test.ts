import { describe, expect, it } from 'vitest';
import {
  nestedBool,
  nestedField,
  nestedFloat64,
  nestedInt,
  nestedInt64,
  nestedMap,
  nestedSlice,
  nestedString,
  nestedStringMap,
  nestedStringSlice,
  removeNestedField,
  setNestedField,
} from './unstructured.ts';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: { replicas: 3, paused: false, template: { spec: { containers: [{ name: 'c' }] } } },
});

describe('unstructured nested accessors', () => {
  it('reads typed values and reports missing paths as not found', () => {
    const obj = deployment();
    expect(nestedString(obj, 'metadata', 'name')).toEqual({ value: 'web', found: true });
    expect(nestedInt(obj, 'spec', 'replicas')).toEqual({ value: 3, found: true });
    expect(nestedBool(obj, 'spec', 'paused')).toEqual({ value: false, found: true });
    expect(nestedMap(obj, 'metadata', 'labels')).toEqual({ value: { app: 'web' }, found: true });
    expect(nestedStringSlice(obj, 'metadata', 'finalizers')).toEqual({ value: ['a', 'b'], found: true });
    expect(nestedField(obj, 'status', 'replicas')).toEqual({ value: undefined, found: false });
  });

  it('names the path and both types when a value has the wrong type', () => {
    expect(() => nestedString(deployment(), 'spec', 'replicas')).toThrow('spec.replicas accessor error: 3 is of the type int64, expected string');
    expect(() => nestedField(deployment(), 'metadata', 'name', 'x')).toThrow('metadata.name accessor error: "web" is of the type string, expected map[string]interface{}');
  });

  it('sets values, creating objects on the way, but never overwrites a non-object', () => {
    const obj: Record<string, unknown> = deployment();
    setNestedField(obj, 2, 'status', 'readyReplicas');
    expect(nestedInt(obj, 'status', 'readyReplicas').value).toBe(2);
    expect(() => setNestedField(obj, 'x', 'metadata', 'name', 'nested')).toThrow('value cannot be set because .metadata.name is not a map[string]interface{}');
  });

  it('removes values and ignores missing paths', () => {
    const obj = deployment();
    removeNestedField(obj, 'metadata', 'labels', 'app');
    removeNestedField(obj, 'no', 'such', 'path');
    expect(obj.metadata.labels).toEqual({});
  });
});

describe('typed accessors as client-go has them', () => {
  const obj = () => ({
    spec: {
      ratio: 0.5,
      count: 7,
      big: 2 ** 60,
      exact: 9223372036854775807n,
      tags: ['a', 1],
      selector: { app: 'web', tier: 2 },
      ports: [{ port: 80 }],
      gone: null,
    },
  });

  it('reads floats, slices and string maps, and says which field is wrong, with client-go paths', () => {
    expect(nestedFloat64(obj(), 'spec', 'ratio')).toEqual({ value: 0.5, found: true });
    expect(nestedFloat64(obj(), 'spec', 'count')).toEqual({ value: 7, found: true });
    expect(nestedSlice(obj(), 'spec', 'ports')).toEqual({ value: [{ port: 80 }], found: true });
    expect(nestedStringMap({ m: { a: 'b' } }, 'm')).toEqual({ value: { a: 'b' }, found: true });
    expect(() => nestedStringMap(obj(), 'spec', 'selector')).toThrow('.spec.selector accessor error: contains non-string value in the map: 2 is of the type int64, expected string');
    expect(() => nestedStringSlice(obj(), 'spec', 'tags')).toThrow('.spec.tags accessor error: contains non-string key in the slice: 1 is of the type int64, expected string');
    expect(() => nestedSlice(obj(), 'spec', 'selector')).toThrow('.spec.selector accessor error: {"app":"web","tier":2} is of the type map[string]interface{}, expected []interface{}');
    expect(() => nestedBool(obj(), 'spec', 'ratio')).toThrow('.spec.ratio accessor error: 0.5 is of the type float64, expected bool');
    expect(() => nestedInt(obj(), 'spec', 'ratio')).toThrow('.spec.ratio accessor error: 0.5 is of the type float64, expected int64');
  });

  it('treats null on the way as not found, as NestedFieldNoCopy does, but null at the end as a value', () => {
    expect(nestedField(obj(), 'spec', 'gone', 'deeper')).toEqual({ value: undefined, found: false });
    expect(nestedField(obj(), 'spec', 'gone')).toEqual({ value: null, found: true });
    expect(() => nestedString(obj(), 'spec', 'gone')).toThrow('.spec.gone accessor error: null is of the type <nil>, expected string');
  });

  it('reads int64 as a number when safe, as a bigint when decoded exactly, and refuses a rounded one', () => {
    expect(nestedInt64(obj(), 'spec', 'count')).toEqual({ value: 7, found: true });
    expect(nestedInt64(obj(), 'spec', 'exact')).toEqual({ value: 9223372036854775807n, found: true });
    expect(() => nestedInt64(obj(), 'spec', 'big')).toThrow(RangeError);
    expect(() => nestedInt64(obj(), 'spec', 'big')).toThrow(/\.spec\.big accessor error: 1152921504606847000 is beyond .* exactIntegers: true/);
    expect(nestedInt({ n: 42n }, 'n')).toEqual({ value: 42, found: true });
    expect(() => nestedInt(obj(), 'spec', 'exact')).toThrow('.spec.exact accessor error: 9223372036854775807 is beyond Number.MAX_SAFE_INTEGER: read it with nestedInt64');
    expect(nestedInt64(obj(), 'spec', 'missing')).toEqual({ value: undefined, found: false });
  });

  it('refuses to set into something that is not an object', () => {
    expect(() => setNestedField([], 1, 'a')).toThrow('value cannot be set because the object is of the type []interface{}');
    expect(() => setNestedField({}, 1)).toThrow('setNestedField needs at least one field');
    const target: Record<string, unknown> = { a: null };
    setNestedField(target, 1, 'a', 'b');
    expect(target).toEqual({ a: { b: 1 } });
  });
});

import { describe, expect, it } from 'vitest';
import { nestedBool, nestedField, nestedInt, nestedMap, nestedString, nestedStringSlice, removeNestedField, setNestedField } from './unstructured.ts';

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
    expect(() => setNestedField(obj, 'x', 'metadata', 'name', 'nested')).toThrow('value cannot be set because metadata.name is not a map[string]interface{}');
  });

  it('removes values and ignores missing paths', () => {
    const obj = deployment();
    removeNestedField(obj, 'metadata', 'labels', 'app');
    removeNestedField(obj, 'no', 'such', 'path');
    expect(obj.metadata.labels).toEqual({});
  });
});

import type { KubeObject } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import {
  getAnnotations,
  getApiVersion,
  getDeletionTimestamp,
  getFinalizers,
  getGeneration,
  getKind,
  getLabels,
  getName,
  getNamespace,
  getOwnerReferences,
  getResourceVersion,
  getUid,
  setAnnotations,
  setApiVersion,
  setDeletionTimestamp,
  setFinalizers,
  setGeneration,
  setKind,
  setLabels,
  setName,
  setNamespace,
  setOwnerReferences,
  setResourceVersion,
  setUid,
} from './object-meta-accessors.ts';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-1', controller: true };
const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1-abc',
    namespace: 'prod',
    uid: 'u-2',
    resourceVersion: '42',
    generation: 3,
    labels: { app: 'web' },
    annotations: { note: 'x' },
    finalizers: ['f'],
    ownerReferences: [owner],
    deletionTimestamp: '2026-01-02T03:04:05Z',
  },
});

describe('metadata getters', () => {
  it('read every field client-go has a getter for', () => {
    const obj = pod();
    expect([getApiVersion(obj), getKind(obj), getName(obj), getNamespace(obj), getUid(obj), getResourceVersion(obj)]).toEqual([
      'v1',
      'Pod',
      'web-1-abc',
      'prod',
      'u-2',
      '42',
    ]);
    expect(getGeneration(obj)).toBe(3);
    expect(getLabels(obj)).toEqual({ app: 'web' });
    expect(getAnnotations(obj)).toEqual({ note: 'x' });
    expect(getFinalizers(obj)).toEqual(['f']);
    expect(getOwnerReferences(obj)).toEqual([owner]);
    expect(getDeletionTimestamp(obj)).toBe('2026-01-02T03:04:05Z');
  });

  it('return undefined, or empty copies, for unset fields', () => {
    const bare = {};
    expect([getName(bare), getNamespace(bare), getGeneration(bare), getDeletionTimestamp(bare)]).toEqual([undefined, undefined, undefined, undefined]);
    expect(getLabels(bare)).toEqual({});
    expect(getFinalizers(bare)).toEqual([]);
    expect(getOwnerReferences(bare)).toEqual([]);
  });

  it('return copies: changing them leaves the object alone', () => {
    const obj = pod();
    getLabels(obj).app = 'changed';
    getFinalizers(obj).push('g');
    getOwnerReferences(obj)[0]!.name = 'changed';
    expect(obj.metadata).toMatchObject({ labels: { app: 'web' }, finalizers: ['f'], ownerReferences: [owner] });
  });

  it('name the path of a field with the wrong type', () => {
    const bad = { metadata: { name: 7, labels: { a: 1 }, ownerReferences: [{ name: 'x', controller: 'yes' }], generation: 1.5 } } as unknown as KubeObject;
    expect(() => getName(bad)).toThrow('.metadata.name accessor error: 7 is of the type int64, expected string');
    expect(() => getLabels(bad)).toThrow('.metadata.labels accessor error: contains non-string value in the map: 1 is of the type int64, expected string');
    expect(() => getOwnerReferences(bad)).toThrow('.metadata.ownerReferences[0].controller accessor error: "yes" is of the type string, expected bool');
    expect(() => getGeneration(bad)).toThrow('.metadata.generation accessor error: 1.5 is of the type float64, expected int64');
    expect(() => getName({ metadata: 'x' } as unknown as KubeObject)).toThrow('.metadata accessor error: "x" is of the type string, expected map[string]interface{}');
  });
});

describe('metadata setters', () => {
  it('create metadata when needed and write each field', () => {
    const obj: KubeObject = {};
    setApiVersion(obj, 'example.com/v1');
    setKind(obj, 'Widget');
    setName(obj, 'w');
    setNamespace(obj, 'ns');
    setUid(obj, 'u');
    setResourceVersion(obj, '7');
    setGeneration(obj, 2);
    setLabels(obj, { a: 'b' });
    setAnnotations(obj, { c: 'd' });
    setFinalizers(obj, ['example.com/keep']);
    setOwnerReferences(obj, [owner]);
    setDeletionTimestamp(obj, new Date('2026-03-04T05:06:07.890Z'));
    expect(obj).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: {
        name: 'w',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        labels: { a: 'b' },
        annotations: { c: 'd' },
        finalizers: ['example.com/keep'],
        ownerReferences: [owner],
        // metav1.Time: UTC, whole seconds.
        deletionTimestamp: '2026-03-04T05:06:07Z',
      },
    });
  });

  it('remove fields on undefined, and the string fields client-go clears on empty', () => {
    const obj = pod();
    setName(obj, '');
    setNamespace(obj, undefined);
    setUid(obj, '');
    setResourceVersion(obj, '');
    setGeneration(obj, undefined);
    setLabels(obj, undefined);
    setAnnotations(obj, undefined);
    setFinalizers(obj, undefined);
    setOwnerReferences(obj, undefined);
    setDeletionTimestamp(obj, undefined);
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {} });
  });

  it('copy what they are given, and refuse what cannot be written', () => {
    const obj: KubeObject = {};
    const labels = { a: 'b' };
    setLabels(obj, labels);
    labels.a = 'changed';
    expect(getLabels(obj)).toEqual({ a: 'b' });
    expect(() => setGeneration(obj, 1.5)).toThrow('generation must be an integer, got 1.5');
    expect(() => setDeletionTimestamp(obj, new Date('nonsense'))).toThrow('deletionTimestamp must be a valid Date');
    expect(() => setName({ metadata: [] } as unknown as KubeObject, 'x')).toThrow('value cannot be set because .metadata is not a map[string]interface{}');
  });
});

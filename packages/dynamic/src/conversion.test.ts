import type { Unstructured } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { fromUnstructured, toUnstructured } from './conversion.ts';
import { KindMismatchError } from './errors/kind-mismatch-error.ts';

interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; namespace?: string; creationTimestamp?: Date | string };
  spec: { containers: { name: string; image: string }[]; activeDeadlineSeconds?: number | bigint | undefined };
}

describe('fromUnstructured', () => {
  it('returns the object as the type asked for when apiVersion and kind match', () => {
    const obj: Unstructured = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    const pod = fromUnstructured<Pod>(obj, { apiVersion: 'v1', kind: 'Pod' });
    expect(pod).toBe(obj);
    expect(pod.spec.containers).toEqual([]);
  });

  it('names expected and got, and the object, when they differ', () => {
    const deployment: Unstructured = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } };
    let error: unknown;
    try {
      fromUnstructured<Pod>(deployment, { apiVersion: 'v1', kind: 'Pod' });
    } catch (caught) {
      error = caught;
    }
    expect(KindMismatchError.isInstance(error)).toBe(true);
    expect((error as KindMismatchError).message).toBe('expected apiVersion "v1", kind "Pod", got apiVersion "apps/v1", kind "Deployment" (object "prod/web")');
    expect((error as KindMismatchError).expected).toEqual({ apiVersion: 'v1', kind: 'Pod' });
    expect(() => fromUnstructured<Pod>({ metadata: { name: 'x' } }, { apiVersion: 'v1', kind: 'Pod' })).toThrow(
      'expected apiVersion "v1", kind "Pod", got apiVersion null, kind null (object "x")',
    );
    expect(() => fromUnstructured<Pod>({ apiVersion: 'v2', kind: 'Pod' }, { apiVersion: 'v1', kind: 'Pod' })).toThrow('got apiVersion "v2", kind "Pod"');
    expect(() => fromUnstructured<Pod>(null as unknown as Unstructured, { apiVersion: 'v1', kind: 'Pod' })).toThrow('fromUnstructured needs an object, got null');
  });
});

describe('toUnstructured', () => {
  it('makes a JSON-normal deep copy: undefined dropped, dates as JSON, bigints kept', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: undefined as unknown as string, creationTimestamp: new Date('2026-01-02T03:04:05Z') },
      spec: { containers: [{ name: 'c', image: 'i' }], activeDeadlineSeconds: 9007199254740993n },
    };
    const obj = toUnstructured(pod);
    expect(obj).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: '2026-01-02T03:04:05.000Z' },
      spec: { containers: [{ name: 'c', image: 'i' }], activeDeadlineSeconds: 9007199254740993n },
    });
    expect(Object.hasOwn(obj.metadata as object, 'namespace')).toBe(false);
    (obj.spec as Pod['spec']).containers[0]!.name = 'changed';
    expect(pod.spec.containers[0]!.name).toBe('c');
    expect(toUnstructured({ list: [1, undefined, 2] })).toEqual({ list: [1, null, 2] });
  });

  it('refuses what JSON cannot hold, naming the path', () => {
    expect(() => toUnstructured({ spec: { ratio: Number.NaN } })).toThrow('.spec.ratio is NaN, which JSON cannot hold');
    expect(() => toUnstructured({ spec: { run: () => 1 } })).toThrow('.spec.run is a function, which JSON cannot hold');
    expect(() => toUnstructured({ spec: { labels: new Map() } })).toThrow('.spec.labels is a Map: use a plain object or array');
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic.a as Record<string, unknown>).back = cyclic;
    expect(() => toUnstructured(cyclic)).toThrow('.a.back refers back to an object that contains it (a cycle)');
    expect(() => toUnstructured([] as unknown as object)).toThrow('toUnstructured needs an object, got an array');
    // The same object twice (not a cycle) is fine.
    const shared = { x: 1 };
    expect(toUnstructured({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});

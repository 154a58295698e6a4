/*
 * client-go's `runtime.DefaultUnstructuredConverter`, for TypeScript. A typed object and an
 * Unstructured one have the same JSON shape, so the conversion from Unstructured is a checked
 * view (is this object the type the caller expects?), and the conversion to Unstructured a
 * JSON-normalizing copy.
 */
import type { Unstructured } from '@kgo/rest';
import { KindMismatchError } from './errors/kind-mismatch-error.ts';
import { isJsonObject } from './unstructured.ts';

/** The type a caller expects: `{ apiVersion: 'v1', kind: 'Pod' }`. */
export interface ExpectedType {
  apiVersion: string;
  kind: string;
}

/**
 * The object as a `T`, after checking at runtime that its `apiVersion` and `kind` are the ones
 * given; otherwise a {@link KindMismatchError} naming expected and got. No copy is made (the
 * result is the same object), and fields beyond apiVersion and kind are not checked: `T` (a
 * `@kgo/typed` interface, or one of your own) is the caller's word for them.
 *
 * @example
 * ```ts
 * const pods = (await dynamic.resource({ group: '', version: 'v1', resource: 'pods' }).namespace('kube-system').list()).items;
 * const typed = pods.map((pod) => fromUnstructured<Pod>(pod, { apiVersion: 'v1', kind: 'Pod' }));
 * ```
 */
export function fromUnstructured<T>(obj: Unstructured, expected: ExpectedType): T {
  if (!isJsonObject(obj)) throw new TypeError(`fromUnstructured needs an object, got ${obj === null ? 'null' : Array.isArray(obj) ? 'an array' : typeof obj}`);
  if (obj.apiVersion !== expected.apiVersion || obj.kind !== expected.kind) {
    const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
    const name = typeof meta.name === 'string' ? (typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name) : undefined;
    throw new KindMismatchError(
      { apiVersion: expected.apiVersion, kind: expected.kind },
      { apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined, kind: typeof obj.kind === 'string' ? obj.kind : undefined },
      name,
    );
  }
  return obj as T;
}

/**
 * A deep copy of a typed object as Unstructured, normalized as JSON would be: `undefined` fields
 * are dropped, `Date`s (anything with `toJSON`) become their JSON form, `bigint`s are kept (the
 * DynamicClient writes them as exact numbers). What JSON cannot hold (functions, symbols,
 * `NaN`/`Infinity`, `Map`/`Set`, cycles) is a TypeError naming the path.
 *
 * @example
 * ```ts
 * const obj = toUnstructured<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [] } });
 * ```
 */
export function toUnstructured<T extends object>(obj: T): Unstructured {
  if (!isJsonObject(obj)) throw new TypeError(`toUnstructured needs an object, got ${Array.isArray(obj) ? 'an array' : typeof obj}`);
  return toJsonValue(obj, [], new Set()) as Unstructured;
}

function toJsonValue(value: unknown, path: string[], ancestors: Set<object>): unknown {
  const where = () => (path.length === 0 ? 'the object' : `.${path.join('.')}`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${where()} is ${value}, which JSON cannot hold`);
      return value;
    case 'object':
      break;
    default:
      throw new TypeError(`${where()} is a ${typeof value}, which JSON cannot hold`);
  }
  if (value === null) return null;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toJsonValue((value as { toJSON(key: string): unknown }).toJSON(path[path.length - 1] ?? ''), path, ancestors);
  }
  if (value instanceof Map || value instanceof Set) throw new TypeError(`${where()} is a ${value.constructor.name}: use a plain object or array`);
  if (ancestors.has(value)) throw new TypeError(`${where()} refers back to an object that contains it (a cycle)`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // JSON writes undefined array items as null.
      return value.map((item, i) => (item === undefined ? null : toJsonValue(item, [...path, String(i)], ancestors)));
    }
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== undefined) copy[key] = toJsonValue(field, [...path, key], ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

/*
 * apimachinery's unstructured helpers (`NestedFieldNoCopy`, `NestedString`, `SetNestedField`, …)
 * over plain JSON objects. Paths are field names, one argument each (no array indexing), and
 * appear in messages as client-go writes them: `.spec.replicas`. Type names in messages are Go's
 * (`int64`, `map[string]interface{}`), as client-go reports them.
 *
 * Values are returned without copying (NestedFieldNoCopy): change them only if the object may
 * change too, else `structuredClone` first.
 */
import type { Unstructured } from '@kgo/rest';

export type { Unstructured };

/** What a nested lookup found: `found` is false when a field on the path is missing (or `null` on the way). */
export type NestedResult<T> = { value: T; found: true } | { value: undefined; found: false };

/** True for a JSON object (not an array, not `null`). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** client-go's `jsonPath`: `.spec.replicas`. */
export function fieldPath(fields: readonly string[]): string {
  return `.${fields.join('.')}`;
}

/**
 * Reads `obj[fields[0]][fields[1]]…` (`NestedFieldNoCopy`). A missing field, or `null` on the
 * way, is `found: false`; a field on the way that exists but is not an object is a TypeError
 * naming its path.
 *
 * @example
 * ```ts
 * const { value, found } = nestedField(obj, 'spec', 'template');
 * ```
 */
export function nestedField(obj: object, ...fields: string[]): NestedResult<unknown> {
  let current: unknown = obj;
  for (const [i, field] of fields.entries()) {
    if (current === null || current === undefined) return { value: undefined, found: false };
    if (!isJsonObject(current)) throw accessorError(fieldPath(fields.slice(0, i)), current, 'map[string]interface{}');
    if (!Object.hasOwn(current, field)) return { value: undefined, found: false };
    current = current[field];
  }
  return { value: current, found: true };
}

/** {@link nestedField} that also checks the value is a string (`NestedString`). */
export function nestedString(obj: object, ...fields: string[]): NestedResult<string> {
  return typed(obj, fields, 'string', (value): value is string => typeof value === 'string');
}

/** {@link nestedField} that also checks the value is a boolean (`NestedBool`). */
export function nestedBool(obj: object, ...fields: string[]): NestedResult<boolean> {
  return typed(obj, fields, 'bool', (value): value is boolean => typeof value === 'boolean');
}

/**
 * {@link nestedField} that also checks the value is a number (`NestedFloat64`). JSON does not
 * tell `3` from `3.0`, so integers are accepted too (client-go refuses an int64 here).
 */
export function nestedFloat64(obj: object, ...fields: string[]): NestedResult<number> {
  return typed(obj, fields, 'float64', (value): value is number => typeof value === 'number');
}

/**
 * {@link nestedField} that also checks the value is an integer a `number` holds exactly
 * (±(2^53 − 1)); a `bigint` in that range is returned as a number. Larger integers are an error
 * that points to {@link nestedInt64}.
 */
export function nestedInt(obj: object, ...fields: string[]): NestedResult<number> {
  const result = nestedInt64(obj, ...fields);
  if (!result.found || typeof result.value === 'number') return result as NestedResult<number>;
  if (result.value >= BigInt(Number.MIN_SAFE_INTEGER) && result.value <= BigInt(Number.MAX_SAFE_INTEGER)) return { value: Number(result.value), found: true };
  throw new RangeError(`${fieldPath(fields)} accessor error: ${result.value} is beyond Number.MAX_SAFE_INTEGER: read it with nestedInt64`);
}

/**
 * {@link nestedField} that also checks the value is an int64 (`NestedInt64`): a `number` when it
 * is a safe integer (±(2^53 − 1)), a `bigint` when the object was decoded with exact integers
 * (the DynamicClient's `exactIntegers` option) and the value is larger. A `number` integer
 * beyond the safe range is an error: `JSON.parse` may have rounded it, so its digits cannot be
 * trusted.
 */
export function nestedInt64(obj: object, ...fields: string[]): NestedResult<number | bigint> {
  const result = typed(
    obj,
    fields,
    'int64',
    (value): value is number | bigint => typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)),
  );
  if (result.found && typeof result.value === 'number' && !Number.isSafeInteger(result.value)) {
    throw new RangeError(
      `${fieldPath(fields)} accessor error: ${result.value} is beyond ±(2^53 − 1) and may have been rounded by JSON.parse: ` +
        'decode with exactIntegers: true (DynamicClient option) to read it exactly, as a bigint',
    );
  }
  return result;
}

/** {@link nestedField} that also checks the value is an object (`NestedMap`, without the copy). */
export function nestedMap(obj: object, ...fields: string[]): NestedResult<Record<string, unknown>> {
  return typed(obj, fields, 'map[string]interface{}', isJsonObject);
}

/** {@link nestedField} that also checks the value is an array (`NestedSlice`, without the copy). */
export function nestedSlice(obj: object, ...fields: string[]): NestedResult<unknown[]> {
  return typed(obj, fields, '[]interface{}', Array.isArray);
}

/** {@link nestedMap} whose values must all be strings (`NestedStringMap`), e.g. labels. */
export function nestedStringMap(obj: object, ...fields: string[]): NestedResult<Record<string, string>> {
  const result = nestedMap(obj, ...fields);
  if (!result.found) return result;
  for (const value of Object.values(result.value)) {
    if (typeof value !== 'string') throw accessorError(fieldPath(fields), value, 'string', 'contains non-string value in the map: ');
  }
  return result as NestedResult<Record<string, string>>;
}

/** {@link nestedSlice} whose items must all be strings (`NestedStringSlice`), e.g. finalizers. */
export function nestedStringSlice(obj: object, ...fields: string[]): NestedResult<string[]> {
  const result = nestedSlice(obj, ...fields);
  if (!result.found) return result;
  for (const value of result.value) {
    if (typeof value !== 'string') throw accessorError(fieldPath(fields), value, 'string', 'contains non-string key in the slice: ');
  }
  return result as NestedResult<string[]>;
}

function typed<T>(obj: object, fields: string[], expected: string, check: (value: unknown) => value is T): NestedResult<T> {
  const result = nestedField(obj, ...fields);
  if (!result.found) return result;
  if (!check(result.value)) throw accessorError(fieldPath(fields), result.value, expected);
  return { value: result.value, found: true };
}

/** client-go's accessor error: `.spec.replicas accessor error: "3" is of the type string, expected int64`. */
export function accessorError(path: string, value: unknown, expected: string, what = ''): TypeError {
  return new TypeError(`${path} accessor error: ${what}${describeValue(value)} is of the type ${goTypeName(value)}, expected ${expected}`);
}

/**
 * Sets `value` at the path, creating objects on the way (`SetNestedField`, without the copy). A
 * field on the way that exists but is not an object is a TypeError: nothing is overwritten
 * silently.
 *
 * @example
 * ```ts
 * setNestedField(obj, 3, 'spec', 'replicas');
 * ```
 */
export function setNestedField(obj: object, value: unknown, ...fields: string[]): void {
  if (fields.length === 0) throw new TypeError('setNestedField needs at least one field');
  if (!isJsonObject(obj)) throw new TypeError(`value cannot be set because the object is of the type ${goTypeName(obj)}, not a map[string]interface{}`);
  let current: Record<string, unknown> = obj;
  for (const [i, field] of fields.slice(0, -1).entries()) {
    const next = current[field];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      current[field] = created;
      current = created;
    } else if (isJsonObject(next)) {
      current = next;
    } else {
      throw new TypeError(`value cannot be set because ${fieldPath(fields.slice(0, i + 1))} is not a map[string]interface{}`);
    }
  }
  current[fields[fields.length - 1] as string] = value;
}

/** Removes the field at the path, if there (`RemoveNestedField`); a missing path is no error. */
export function removeNestedField(obj: object, ...fields: string[]): void {
  let current: unknown = obj;
  for (const field of fields.slice(0, -1)) {
    if (!isJsonObject(current)) return;
    current = current[field];
  }
  if (isJsonObject(current) && fields.length > 0) delete current[fields[fields.length - 1] as string];
}

/** The Go type client-go would name for a decoded JSON value (`%T`). */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface{}';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'object') return 'map[string]interface{}';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** A short rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

import type { Unstructured } from '@kgo/rest';

export type { Unstructured };

/** What a nested lookup found: `found` is false when a path segment is missing. */
export type NestedResult<T> = { value: T; found: true } | { value: undefined; found: false };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `obj.fields[0].fields[1]…` (unstructured `NestedFieldNoCopy`). A missing segment is
 * `found: false`; a segment that exists but is not an object is an error naming the path.
 */
export function nestedField(obj: Unstructured, ...fields: string[]): NestedResult<unknown> {
  let current: unknown = obj;
  for (const [i, field] of fields.entries()) {
    if (!isObject(current)) {
      throw new TypeError(`${fields.slice(0, i).join('.')} accessor error: ${JSON.stringify(current)} is of the type ${typeName(current)}, expected map[string]interface{}`);
    }
    if (!Object.hasOwn(current, field)) return { value: undefined, found: false };
    current = current[field];
  }
  return { value: current, found: true };
}

/** {@link nestedField} that also checks the value is a string (`NestedString`). */
export function nestedString(obj: Unstructured, ...fields: string[]): NestedResult<string> {
  return typed(obj, fields, 'string', (value): value is string => typeof value === 'string');
}

/** {@link nestedField} that also checks the value is an integer (`NestedInt64`). */
export function nestedInt(obj: Unstructured, ...fields: string[]): NestedResult<number> {
  return typed(obj, fields, 'int64', (value): value is number => Number.isInteger(value));
}

/** {@link nestedField} that also checks the value is a boolean (`NestedBool`). */
export function nestedBool(obj: Unstructured, ...fields: string[]): NestedResult<boolean> {
  return typed(obj, fields, 'bool', (value): value is boolean => typeof value === 'boolean');
}

/** {@link nestedField} that also checks the value is an object (`NestedMap`). */
export function nestedMap(obj: Unstructured, ...fields: string[]): NestedResult<Record<string, unknown>> {
  return typed(obj, fields, 'map[string]interface{}', isObject);
}

/** {@link nestedField} that also checks the value is a list of strings (`NestedStringSlice`). */
export function nestedStringSlice(obj: Unstructured, ...fields: string[]): NestedResult<string[]> {
  return typed(obj, fields, '[]string', (value): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function typed<T>(obj: Unstructured, fields: string[], expected: string, check: (value: unknown) => value is T): NestedResult<T> {
  const result = nestedField(obj, ...fields);
  if (!result.found) return result;
  if (!check(result.value)) {
    throw new TypeError(`${fields.join('.')} accessor error: ${JSON.stringify(result.value)} is of the type ${typeName(result.value)}, expected ${expected}`);
  }
  return { value: result.value, found: true };
}

/**
 * Sets `value` at the path, creating objects on the way (`SetNestedField`). A segment that
 * exists but is not an object is an error: nothing is overwritten silently.
 */
export function setNestedField(obj: Unstructured, value: unknown, ...fields: string[]): void {
  if (fields.length === 0) throw new TypeError('setNestedField needs at least one field');
  let current: Record<string, unknown> = obj;
  for (const [i, field] of fields.slice(0, -1).entries()) {
    const next = current[field];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      current[field] = created;
      current = created;
    } else if (isObject(next)) {
      current = next;
    } else {
      throw new TypeError(`value cannot be set because ${fields.slice(0, i + 1).join('.')} is not a map[string]interface{}`);
    }
  }
  current[fields[fields.length - 1] as string] = value;
}

/** Removes the value at the path, if present (`RemoveNestedField`). */
export function removeNestedField(obj: Unstructured, ...fields: string[]): void {
  let current: unknown = obj;
  for (const field of fields.slice(0, -1)) {
    if (!isObject(current)) return;
    current = current[field];
  }
  if (isObject(current)) delete current[fields[fields.length - 1] as string];
}

function typeName(value: unknown): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return '[]interface{}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'object') return 'map[string]interface{}';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

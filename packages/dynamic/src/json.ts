/*
 * JSON with Kubernetes' int64 in mind. `JSON.parse` turns an integer beyond ±(2^53 − 1) into the
 * nearest double, silently dropping digits; the API's int64 fields can hold such values. The
 * exact reader keeps them as `bigint` (JSON.parse source text access, Node ≥ 21), the writer
 * writes a `bigint` back as a plain JSON number (`JSON.rawJSON`).
 */

/** `JSON.rawJSON` (Node ≥ 21): a value `JSON.stringify` writes verbatim. Not in TypeScript's ES2023 lib yet. */
const { rawJSON } = JSON as unknown as { rawJSON(text: string): unknown };

const integerLiteral = /^-?\d+$/;

/** The reviver of {@link parseJson} with `exactIntegers`: unsafe integer literals become `bigint`. */
function exactIntegerReviver(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && integerLiteral.test(context.source)) {
    return BigInt(context.source);
  }
  return value;
}

/**
 * Parses JSON text. With `exactIntegers`, an integer outside ±(2^53 − 1) becomes a `bigint`
 * instead of a rounded `number` (slower: every value passes a reviver).
 */
export function parseJson<T>(text: string, exactIntegers: boolean): T {
  return (exactIntegers ? JSON.parse(text, exactIntegerReviver as (key: string, value: unknown) => unknown) : JSON.parse(text)) as T;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? rawJSON(value.toString()) : value;
}

/** `JSON.stringify` that writes a `bigint` as the JSON number it stands for. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // Only objects holding a bigint pay for the replacer.
    if (error instanceof TypeError && /BigInt/i.test(error.message)) return JSON.stringify(value, bigintReplacer);
    throw error;
  }
}

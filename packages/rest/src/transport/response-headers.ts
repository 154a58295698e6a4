/**
 * Response headers as the connection pool hands them to the transport: names lower case, a
 * repeated header as an array. Kept as this plain record on the request path: a WHATWG `Headers` costs a
 * validation per header per response, and is built only when someone asks for one
 * ({@link toHeaders}, `Result.headers`).
 */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** One header's value, repeated values joined with ", " as `Headers.get` does; null when absent. */
export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Each value of one header (a header sent twice gives two). */
export function headerValues(headers: ResponseHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The headers as name/value pairs (a repeated header once per value), the `HeadersInit` a
 * `Response` takes: it builds its own `Headers` from them, once (from a `Headers` it would copy one).
 */
export function headerPairs(headers: ResponseHeaders): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) for (const item of value) pairs.push([name, item]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/** The headers as a WHATWG `Headers`. */
export function toHeaders(headers: ResponseHeaders | Headers): Headers {
  if (headers instanceof Headers) return headers;
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const item of value) result.append(name, item);
    else if (value !== undefined) result.append(name, value);
  }
  return result;
}

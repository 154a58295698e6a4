/*
 * Go's url.QueryEscape / url.Values.Encode and the path escaping of url.URL.String, so a kgo
 * request line is byte-identical to client-go's (URLSearchParams differs on `~`, `*`, `'`, …).
 */

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
// Go's shouldEscape(c, encodePath) keeps these sub-delims in paths.
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;
const ALL_PATH_SAFE = /^[A-Za-z0-9\-_.~$&+,/:;=@]*$/;
const encoder = new TextEncoder();

function escape(text: string, safe: RegExp, spaceAsPlus: boolean): string {
  let out = '';
  for (const byte of encoder.encode(text)) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && safe.test(char)) out += char;
    else if (spaceAsPlus && byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(text: string): string {
  // The common case, checked once per string: nothing to escape.
  return ALL_UNRESERVED.test(text) ? text : escape(text, UNRESERVED, true);
}

/** Go's `url.PathEscape` as applied by `URL.EscapedPath` to a whole path (slashes kept). */
export function pathEscape(path: string): string {
  return ALL_PATH_SAFE.test(path) ? path : escape(path, PATH_SAFE, false);
}

/** Go's `url.Values.Encode`: keys sorted, values in insertion order. */
export function encodeQuery(pairs: [string, string][]): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => (byKey.get(key) ?? []).map((value) => `${queryEscape(key)}=${queryEscape(value)}`))
    .join('&');
}

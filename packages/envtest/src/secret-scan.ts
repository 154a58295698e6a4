import { inspect } from 'node:util';

/**
 * Marker secrets to seed fuzzed inputs with: a bearer token, a password, base64 and PEM key
 * material. Each is distinctive enough that finding it in an error can only mean a leak.
 */
export const MARKER_SECRETS: readonly string[] = [
  'kgo-marker-token-7f3a9c2e41b8',
  'kgo-marker-password-Zq81!x',
  'a2dvLW1hcmtlci1iYXNlNjQtc2VjcmV0',
  '-----BEGIN PRIVATE KEY-----\nkgoMarkerPemBodyQUJDREVGR0hJSktMTU5PUA==\n-----END PRIVATE KEY-----',
  'kgoMarkerPemBodyQUJDREVGR0hJSktMTU5PUA',
];

/**
 * The marker secrets that appear anywhere in what an error shows: its message, stack, `cause`
 * chain, own properties, `JSON.stringify` and `util.inspect` forms. For tests that feed marker
 * secrets (tokens, passwords, PEM blocks) into a parser and assert none comes back out in an error.
 *
 * @example
 * ```ts
 * expect(secretsIn(error, ['kgo-marker-token-1234'])).toEqual([]);
 * ```
 */
export function secretsIn(error: unknown, secrets: readonly string[]): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current !== undefined && current !== null && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    if (current instanceof Error) texts.push(current.message, current.stack ?? '');
    else texts.push(String(current));
    if (typeof current !== 'object') break;
  }
  try {
    texts.push(JSON.stringify(error) ?? '');
  } catch {
    // a cycle: the inspect form below still covers it
  }
  texts.push(inspect(error, { depth: 8, showHidden: true }));
  const all = texts.join('\n');
  return secrets.filter((secret) => secret.length > 0 && all.includes(secret));
}

import type { ImpersonationConfig } from '../rest-config.ts';

/*
 * Impersonation headers. A group list must reach the server as one `Impersonate-Group` line per
 * group: fetch's Headers would join them with ", ", which the API server reads as a single group
 * name. So these headers are added below fetch, by the transport (transport.ts), as arrays, which
 * node:http and node:http2 write as separate header lines.
 */

// RFC 7230 token characters other than alphanumerics; `%` is left out because it is the escape.
const TOKEN_CHARS = new Set("!#$&'*+-.^_`|~");

/** Percent-encodes an extra key for `Impersonate-Extra-<key>` as client-go does (non-token bytes and `%`, uppercase hex). */
export function encodeExtraKey(key: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(key)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9]/.test(char) || TOKEN_CHARS.has(char)) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The impersonation headers as name → values; each value becomes its own header line. */
export function impersonationHeaders(config: ImpersonationConfig | undefined): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (!config) return headers;
  const hasExtras = config.extra !== undefined && Object.keys(config.extra).length > 0;
  if (!config.userName && ((config.groups?.length ?? 0) > 0 || hasExtras || config.uid)) {
    throw new TypeError('impersonation: groups, uid or extra need a user name (impersonate.userName) to act as');
  }
  if (config.userName) headers['impersonate-user'] = [config.userName];
  if (config.uid) headers['impersonate-uid'] = [config.uid];
  if (config.groups && config.groups.length > 0) headers['impersonate-group'] = [...config.groups];
  for (const [key, values] of Object.entries(config.extra ?? {})) {
    if (values.length > 0) headers[`impersonate-extra-${encodeExtraKey(key)}`] = [...values];
  }
  return headers;
}

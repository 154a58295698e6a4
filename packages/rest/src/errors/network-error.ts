import { RequestError } from './request-error.ts';
import type { RequestDescription } from './request-description.ts';

const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// Alerts a server sends when it refuses the client certificate (Node's codes for OpenSSL's alert names).
const CLIENT_CERT_REJECTED =
  /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR)$/;
const CLIENT_CERT_REQUIRED = 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED';
const CLIENT_CERT_FIELDS =
  'tls.certData and tls.keyData (kubeconfig: client-certificate[-data] and client-key[-data])';

/** {@link RequestError.code} of a connection the server closed during or right after the TLS handshake. */
export const TLS_HANDSHAKE_CLOSED = 'tls-handshake-closed';

// Connection errors the transport saw end a TLS connection that presented a client certificate
// before the server sent any byte.
const closedAfterHandshake = new WeakSet<object>();

/**
 * Records that `error` ended a TLS connection that presented a client certificate and that the
 * server closed before sending a single byte (and before accepting the handshake): the
 * transport sees the connection, this module words the message.
 */
export function noteClosedAfterHandshake(error: unknown): void {
  if (error !== null && typeof error === 'object') closedAfterHandshake.add(error);
}

function closedAtHandshake(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    if (closedAfterHandshake.has(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** OpenSSL's reason out of its long message (`…:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:…`). */
function opensslReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message.trim();
}

/**
 * What a connection that ended with `code` means, in words, when the code says more than the
 * system's message: `ETIMEDOUT` on an open connection is TCP giving up on a silent peer (no
 * answer to keep-alive probes, or to retransmissions), not a slow server. Else the message.
 */
export function describeBrokenConnection(code: string | undefined, message: string): string {
  if (code !== 'ETIMEDOUT') return message;
  return (
    `the connection went silent: the server stopped answering TCP keep-alive probes or retransmissions (${message}), ` +
    'so the connection was closed; a network device may have dropped it (NAT, firewall, load balancer) or the host is down'
  );
}

/** The innermost error with a `code`, following `cause` links (a wrapped error keeps the real one there). */
export function rootCause(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  let found: { code: string | undefined; message: string } = { code: undefined, message: String((error as Error)?.message ?? error) };
  for (let depth = 0; current && depth < 8; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.message === 'string') found = { code: found.code, message: candidate.message };
    if (typeof candidate.code === 'string') found = { code: candidate.code, message: found.message };
    current = candidate.cause;
  }
  return found;
}

/**
 * Turns a failed fetch into a {@link RequestError} whose message says what went wrong and what
 * to check. It names the verb and URL; it never includes headers, so no credential can leak.
 */
export function toRequestError(error: unknown, request: RequestDescription, signal: AbortSignal | undefined): RequestError {
  if (RequestError.isInstance(error)) return error;
  const what = `${request.verb} ${request.url}`;
  const host = safeHost(request.url);
  if (signal?.aborted) {
    const reason = signal.reason as Error | undefined;
    const timedOut = reason?.name === 'TimeoutError';
    return new RequestError(
      timedOut ? `${what}: timed out (the call's timeout expired before the server answered)` : `${what}: aborted (${reason?.message ?? 'signal'})`,
      request,
      { cause: error, code: timedOut ? 'timeout' : 'aborted' },
    );
  }
  const { code, message } = rootCause(error);
  // A TLS alert says more than the closed connection it came with.
  if (request.url.startsWith('https:') && !code?.startsWith('ERR_SSL_') && closedAtHandshake(error)) {
    return new RequestError(
      `${what}: the server closed the connection during or right after the TLS handshake, before sending any HTTP response (${message}). ` +
        `It may have rejected the client certificate: check ${CLIENT_CERT_FIELDS}, that a CA the server trusts signed it, that it has not expired and that it allows client authentication`,
      request,
      { cause: error, code: TLS_HANDSHAKE_CLOSED },
    );
  }
  let hint: string;
  if (code && TLS_VERIFY_CODES.has(code)) {
    hint =
      `TLS verification of ${host} failed: ${message} (${code}). Check the CA the client trusts (tls.caData / certificate-authority) ` +
      'and the name it verifies (tls.serverName / tls-server-name); only tls.insecure turns verification off';
  } else if (code === CLIENT_CERT_REQUIRED) {
    hint = `the server at ${host} requires a client certificate and none was presented (${code}): set ${CLIENT_CERT_FIELDS}, or use credentials it accepts`;
  } else if (code && CLIENT_CERT_REJECTED.test(code)) {
    hint =
      `the server at ${host} rejected the client certificate in the TLS handshake: ${opensslReason(message)} (${code}). ` +
      `Check ${CLIENT_CERT_FIELDS}: signed by a CA the server trusts, not expired, allowed for client authentication`;
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_HTTP_REQUEST') {
    // client-go: "http: server gave HTTP response to HTTPS client".
    hint = `the server at ${host} did not answer with TLS (${code}): it may speak plain HTTP; if so, use an http:// URL, else check the port`;
  } else if (code === 'ECONNREFUSED') {
    hint = `connection refused: is the API server running at ${host}?`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    hint = `cannot resolve the host ${host} (${code})`;
  } else {
    hint = `${describeBrokenConnection(code, message)}${code ? ` (${code})` : ''}`;
  }
  return new RequestError(`${what}: ${hint}`, request, { cause: error, code });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

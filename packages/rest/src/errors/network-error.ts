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

/** The innermost error with a `code`, following `cause` links (undici wraps the real error). */
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
  let hint: string;
  if (code && TLS_VERIFY_CODES.has(code)) {
    hint =
      `TLS verification of ${host} failed: ${message} (${code}). Check the CA the client trusts (tls.caData / certificate-authority) ` +
      'and the name it verifies (tls.serverName / tls-server-name); only tls.insecure turns verification off';
  } else if (code === 'ECONNREFUSED') {
    hint = `connection refused: is the API server running at ${host}?`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    hint = `cannot resolve the host ${host} (${code})`;
  } else {
    hint = `${message}${code ? ` (${code})` : ''}`;
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

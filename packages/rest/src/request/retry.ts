/*
 * client-go's retry rules (rest/with_retry.go): a response with status 429 or >= 500 and an
 * integer Retry-After is retried after that many seconds, for any verb (the server said it did
 * not act on it). A request that got no response is retried only for GET, and only when the
 * connection was reset or closed early, or its HTTP/2 health check failed (IsConnectionReset,
 * IsProbableEOF, IsHTTP2ConnectionLost), or TCP keep-alive found it dead (ETIMEDOUT, see
 * connectionLostCodes): a write may already have reached the server. A refused
 * TLS handshake is not retried (client-go sees the TLS alert and gives up).
 */

import { TLS_HANDSHAKE_CLOSED } from '../errors/network-error.ts';
import { HTTP2_CONNECTION_LOST } from '../transport/http2-health-check.ts';
import { UNEXPECTED_EOF } from '../transport/response-body.ts';

/** Default number of retries. */
export const DEFAULT_MAX_RETRIES = 10;

/** Seconds to wait from a `Retry-After` header on a 429/5xx, or `undefined` when it is not retryable. */
export function retryAfterSeconds(status: number, retryAfter: string | null): number | undefined {
  if (status !== 429 && status < 500) return undefined;
  if (retryAfter === null || !/^\d+$/.test(retryAfter.trim())) return undefined;
  return Number(retryAfter.trim());
}

const connectionLostCodes = new Set([
  // node:http: "socket hang up" before the response, "aborted" under its body.
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  // node:http2: the session or stream failed, or the session was gone by the time the stream was made.
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  // A stream still queued in a session that closed (it never reached the server).
  'ERR_HTTP2_STREAM_CANCEL',
  // The body ended before its Content-Length, or its connection closed under it: client-go's "unexpected EOF".
  UNEXPECTED_EOF,
  // kgo's HTTP/2 health check closed the connection (client-go: "http2: client connection lost").
  HTTP2_CONNECTION_LOST,
  // nghttp2 saw a broken frame: the connection was cut mid-frame (seen through a resetting proxy).
  'ERR_HTTP2_ERROR',
  // TCP gave up on a silent peer (keep-alive probes or retransmissions unanswered): the connection
  // is dead, as after a reset. client-go's HTTP/2 health check reports it as "connection lost"
  // (retried); kgo's keep-alive often notices first, so it counts the same. Connect timeouts have
  // their own code (CONNECT_TIMEOUT) and are not retried.
  'ETIMEDOUT',
]);

// Failures that read like a lost connection but are the server refusing this client.
const refusedCodes = new Set([TLS_HANDSHAKE_CLOSED]);

/** True for a network error that means the connection was reset or closed before a full response (EOF). */
export function isConnectionLost(code: string | undefined, message: string): boolean {
  if (code && refusedCodes.has(code)) return false;
  if (code && connectionLostCodes.has(code)) return true;
  return /other side closed|socket hang up|connection reset|unexpected EOF/i.test(message);
}

/** Whether an attempt that failed without a response may be replayed. */
export function isRetryableNetworkError(method: string, code: string | undefined, message: string): boolean {
  return method === 'GET' && isConnectionLost(code, message);
}

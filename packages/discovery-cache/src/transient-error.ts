import { isTooManyRequests, RequestError, StatusError } from '@kgo/rest';

// Connection refused or reset: the API server is (re)starting or a proxy dropped the connection.
// @kgo/rest reports a reset before or under a response as ECONNRESET, over HTTP/1.1 and HTTP/2.
const TRANSIENT_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET']);

/**
 * True for failures worth asking the server again on the next access instead of remembering
 * (client-go memory cache `isTransientError`): connection refused or reset, any 5xx, and 429.
 */
export function isTransientError(error: unknown): boolean {
  if (RequestError.isInstance(error)) return error.code !== undefined && TRANSIENT_CONNECTION_CODES.has(error.code);
  if (StatusError.isInstance(error)) return error.code >= 500 || isTooManyRequests(error);
  return false;
}

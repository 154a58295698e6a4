import { errorMarker, hasErrorMarker, KgoError } from './kgo-error.ts';
import type { RequestDescription } from './request-description.ts';

const marker = errorMarker('rest.RequestError');

/**
 * A request that got no HTTP response: connection refused or reset, TLS verification failed,
 * DNS, timeout or abort. The message names the verb and URL (never a credential) and the cause;
 * the original error is `cause`.
 */
export class RequestError extends KgoError {
  override name = 'RequestError';
  readonly request: RequestDescription;
  /** Short machine-readable kind of failure, e.g. `ECONNRESET`, `ERR_HTTP2_STREAM_ERROR`, `timeout`, `aborted`. */
  readonly code: string | undefined;
  readonly [marker] = true;

  constructor(message: string, request: RequestDescription, options: { cause?: unknown; code?: string | undefined } = {}) {
    super(message, { cause: options.cause });
    this.request = request;
    this.code = options.code;
  }

  /** True for a RequestError from any copy of `@kgo/rest`. */
  static override isInstance(error: unknown): error is RequestError {
    return hasErrorMarker(error, marker);
  }
}

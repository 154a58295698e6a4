import { errorMarker, hasErrorMarker, KgoError } from './kgo-error.ts';
import type { RequestDescription } from './request-description.ts';

const marker = errorMarker('rest.DecodeError');

/**
 * A response (or a watch event) arrived but could not be decoded: an empty body where an object
 * was expected, text that is not JSON, a watch frame with an unknown type, or a stream that ended
 * in the middle of an event. The message names the request; the parser's error is `cause`.
 */
export class DecodeError extends KgoError {
  override name = 'DecodeError';
  readonly [marker] = true;
  /** The request whose response could not be decoded. */
  readonly request: RequestDescription | undefined;

  constructor(message: string, request?: RequestDescription, options?: { cause?: unknown }) {
    super(message, options);
    this.request = request;
  }

  /** True for a DecodeError from any copy of `@kgo/rest`. */
  static override isInstance(error: unknown): error is DecodeError {
    return hasErrorMarker(error, marker);
  }
}

import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('informer.ReflectorError');

/** Why a reflector gave up on one list or watch (it then reconnects by itself). */
export type ReflectorErrorReason =
  /** The watch delivered nothing, not even a bookmark, within the idle bound: taken for a dead connection. */
  | 'idle'
  /** A list or the start of a watch did not complete within the request bound. */
  | 'timeout'
  /** A watch-list stream ended before the server marked the end of its initial events. */
  | 'watch-list-incomplete';

/**
 * A problem the reflector detected itself (the API server's own refusals arrive as
 * `StatusError`, broken connections as `RequestError`). Reported to the informer's `onError`;
 * the reflector recovers by itself.
 */
export class ReflectorError extends KgoError {
  override name = 'ReflectorError';
  /** What went wrong. */
  readonly reason: ReflectorErrorReason;
  readonly [marker] = true;

  constructor(reason: ReflectorErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }

  /** True for a ReflectorError from any copy of @kgo/informer. */
  static override isInstance(error: unknown): error is ReflectorError {
    return hasErrorMarker(error, marker);
  }
}

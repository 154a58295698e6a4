import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('informer.RetryWatcherError');

/** Why a {@link RetryWatcher} refused to start or had to end. */
export type RetryWatcherErrorReason =
  /** The initial resourceVersion was `""` or `"0"`: a watch from there starts with synthetic events, and resuming it is unsafe. */
  | 'initial-resource-version'
  /** An event carried no `metadata.resourceVersion`: resuming after it could skip events. */
  | 'no-resource-version';

/**
 * A problem a {@link RetryWatcher} detected itself. A resourceVersion the server no longer keeps
 * (410) ends it with the server's `StatusError` instead (`isResourceExpired` / `isGone`).
 */
export class RetryWatcherError extends KgoError {
  override name = 'RetryWatcherError';
  /** What went wrong. */
  readonly reason: RetryWatcherErrorReason;
  readonly [marker] = true;

  constructor(reason: RetryWatcherErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }

  /** True for a RetryWatcherError from any copy of @kgo/informer. */
  static override isInstance(error: unknown): error is RetryWatcherError {
    return hasErrorMarker(error, marker);
  }
}

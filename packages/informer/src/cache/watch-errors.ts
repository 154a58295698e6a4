/*
 * How the reflector classifies what ended a list or a watch (client-go reflector.go:
 * isExpiredError, isTooLargeResourceVersionError, isWatchErrorRetriable).
 */
import { isGone, isResourceExpired, isServiceUnavailable, isTimeout, isTooManyRequests, RequestError, StatusError, type Status } from '@kgo/rest';

/** The resourceVersion asked for is older than the server keeps: list again (410 Expired or Gone). */
export function isExpiredError(error: unknown): boolean {
  return isResourceExpired(error) || isGone(error);
}

/**
 * The resourceVersion asked for is newer than the server has (a server restored from an older
 * etcd, or a cache still catching up): list again from the latest state.
 */
export function isTooLargeResourceVersionError(error: unknown): boolean {
  if (!StatusError.isInstance(error)) return false;
  const causes = error.status.details?.causes ?? [];
  if (causes.some((cause) => cause.reason === 'ResourceVersionTooLarge')) return true;
  if (!isTimeout(error)) return false;
  return causes.some((cause) => cause.message === 'Too large resource version') || error.status.message.includes('Too large resource version');
}

/**
 * Failures worth retrying the same watch for after a backoff, without relisting: the server was
 * unreachable (no response at all) or said "too many requests" / "unavailable".
 */
export function isRetriableWatchError(error: unknown): boolean {
  return RequestError.isInstance(error) || isTooManyRequests(error) || isServiceUnavailable(error);
}

/** A watch stream's ERROR event as the StatusError it stands for. */
export function statusErrorFromEvent(status: Status, description: string): StatusError {
  return new StatusError({
    ...status,
    code: status.code ?? 500,
    reason: status.reason ?? '',
    message: status.message ? `${description}: ${status.message}` : `${description}: the watch ended with an error event`,
  });
}

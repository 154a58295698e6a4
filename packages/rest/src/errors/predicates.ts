import { StatusReason } from '../meta/status.ts';
import { StatusError } from './status-error.ts';

/*
 * client-go's apierrors predicates: match the reason, or the HTTP code when the reason is not
 * one the API server defines (a proxy's bare 404 still counts as NotFound). Marker-based, so
 * they work across two installed copies of @kgo/rest.
 */

const knownReasons = new Set<string>(Object.values(StatusReason).filter((reason) => reason !== ''));

function matches(error: unknown, reason: string, code?: number): boolean {
  if (!StatusError.isInstance(error)) return false;
  if (error.status.reason === reason) return true;
  return code !== undefined && !knownReasons.has(error.status.reason) && error.status.code === code;
}

/** 404 NotFound. */
export const isNotFound = (error: unknown): boolean => matches(error, StatusReason.NotFound, 404);
/** 409 AlreadyExists (a create of an existing name). */
export const isAlreadyExists = (error: unknown): boolean => matches(error, StatusReason.AlreadyExists);
/** 409 Conflict (stale resourceVersion, apply conflicts). */
export const isConflict = (error: unknown): boolean => matches(error, StatusReason.Conflict, 409);
/** 422 Invalid: the object failed validation; `status.details.causes` lists the fields. */
export const isInvalid = (error: unknown): boolean => matches(error, StatusReason.Invalid, 422);
/** 403 Forbidden. */
export const isForbidden = (error: unknown): boolean => matches(error, StatusReason.Forbidden, 403);
/** 401 Unauthorized. */
export const isUnauthorized = (error: unknown): boolean => matches(error, StatusReason.Unauthorized, 401);
/** 429 TooManyRequests. */
export const isTooManyRequests = (error: unknown): boolean => matches(error, StatusReason.TooManyRequests, 429);
/** 410 Gone. */
export const isGone = (error: unknown): boolean => matches(error, StatusReason.Gone, 410);
/** 410 Expired: a resourceVersion or continue token too old to serve. */
export const isResourceExpired = (error: unknown): boolean => matches(error, StatusReason.Expired);
/** 504 Timeout. */
export const isTimeout = (error: unknown): boolean => matches(error, StatusReason.Timeout, 504);
/** ServerTimeout (the server could not complete in time and asks for a retry). */
export const isServerTimeout = (error: unknown): boolean => matches(error, StatusReason.ServerTimeout);
/** 503 ServiceUnavailable. */
export const isServiceUnavailable = (error: unknown): boolean => matches(error, StatusReason.ServiceUnavailable, 503);
/** 400 BadRequest. */
export const isBadRequest = (error: unknown): boolean => matches(error, StatusReason.BadRequest, 400);
/** 405 MethodNotAllowed. */
export const isMethodNotSupported = (error: unknown): boolean => matches(error, StatusReason.MethodNotAllowed, 405);
/** 500 InternalError. */
export const isInternalError = (error: unknown): boolean => matches(error, StatusReason.InternalError, 500);

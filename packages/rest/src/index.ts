export type { Credentials, CredentialProvider } from './transport/credential-provider.ts';
export { CredentialError } from './errors/credential-error.ts';
export { DecodeError } from './errors/decode-error.ts';
export { errorMarker, hasErrorMarker, KGO_ERROR_KEY, KgoError } from './errors/kgo-error.ts';
export { RequestError } from './errors/request-error.ts';
export type { RequestDescription } from './errors/request-description.ts';
export { StatusError } from './errors/status-error.ts';
export {
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotFound,
  isResourceExpired,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
} from './errors/predicates.ts';
export { formatGoDuration } from './request/go-duration.ts';
export { encodeExtraKey } from './transport/impersonation.ts';
export { PatchType } from './request/patch-type.ts';
export { type RateLimiter, TokenBucketRateLimiter } from './transport/rate-limiter.ts';
export { Request } from './request/request.ts';
export type {
  CreateOptions,
  DeleteOptions,
  DryRun,
  FieldValidation,
  GetOptions,
  ListOptions,
  PatchOptions,
  PropagationPolicy,
  QueryOptions,
  ResourceVersionMatch,
  UpdateOptions,
} from './meta/options.ts';
export type { Http2Config, ImpersonationConfig, RestConfig, TlsConfig } from './rest-config.ts';
export { type GroupVersion, RestClient, type RestClientOptions, versionedApiPath } from './rest-client.ts';
export { Result } from './request/result.ts';
export { DEFAULT_MAX_RETRIES } from './request/retry.ts';
export { isStatusObject, type Status, type StatusCause, type StatusDetails, StatusReason } from './meta/status.ts';
export { KGO_REST_VERSION } from './transport/user-agent.ts';
export { redactUrl } from './utils/redact-url.ts';
export { Watch, type WatchEvent } from './request/watch.ts';
export { createDeduplicatingWarningHandler, ignoreWarnings, parseWarningHeaders, type Warning, type WarningHandler } from './transport/warnings.ts';

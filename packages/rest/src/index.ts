export type { Credentials, CredentialProvider } from './credential-provider.ts';
export { RequestError } from './errors/request-error.ts';
export { type RequestDescription, StatusError } from './errors/status-error.ts';
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
export { formatGoDuration } from './go-duration.ts';
export { encodeExtraKey } from './impersonation.ts';
export { PatchType } from './patch-type.ts';
export { type RateLimiter, TokenBucketRateLimiter } from './rate-limiter.ts';
export { Request } from './request.ts';
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
} from './request-options.ts';
export type { ImpersonationConfig, RestConfig, TlsConfig } from './rest-config.ts';
export { type GroupVersion, RestClient, type RestClientOptions, versionedApiPath } from './rest-client.ts';
export { Result } from './result.ts';
export { DEFAULT_MAX_RETRIES } from './retry.ts';
export { isStatusObject, type Status, type StatusCause, type StatusDetails, StatusReason } from './status.ts';
export { KGO_REST_VERSION } from './user-agent.ts';
export { Watch, type WatchEvent } from './watch.ts';
export { createDeduplicatingWarningHandler, ignoreWarnings, parseWarningHeaders, type Warning, type WarningHandler } from './warnings.ts';

/**
 * `@kgo/rest`: the RESTClient every kgo layer stands on (client-go's `rest` plus the parts of
 * apimachinery every layer shares). One explicit export list: the public API at a glance.
 *
 * @packageDocumentation
 */

// Shared vocabulary (also `@kgo/rest/meta`).
export * from './meta/index.ts';

// Clients and requests.
export { type RestClientOptions, RestClient, versionedApiPath } from './rest-client.ts';
export type { Http2Config, ImpersonationConfig, RestConfig, TlsConfig } from './rest-config.ts';
export { HttpClient } from './transport/http-client.ts';
export { Request, type RequestSender, type RequestTarget } from './request/request.ts';
export type { RequestRecipe } from './request/request-recipe.ts';
export { type ResponsePromise, toResponsePromise } from './request/response-promise.ts';
export { Result } from './request/result.ts';
export { PatchType } from './request/patch-type.ts';
export { DEFAULT_MAX_RETRIES } from './request/retry.ts';
export { formatGoDuration } from './request/go-duration.ts';
export { Watch, type WatchDecoding, type WatchEvent } from './request/watch.ts';

// Protobuf on the wire: the codec contract, the wire format, the envelope, Status and watch frames.
export { combineProtobufCodecs, type ProtobufCodec, type ProtobufTypeMeta } from './protobuf/protobuf-codec.ts';
export { type FieldTag, ProtobufReader, WireType } from './protobuf/wire-reader.ts';
export { ProtobufWriter } from './protobuf/wire-writer.ts';
export { decodeEnvelope, encodeEnvelope, hasProtobufMagic, PROTOBUF_MAGIC, type ProtobufEnvelope } from './protobuf/envelope.ts';
export { isProtobufContentType, PROTOBUF_ACCEPT, PROTOBUF_CONTENT_TYPE, PROTOBUF_WATCH_CONTENT_TYPE } from './protobuf/media-types.ts';
export { decodeListMeta, decodeStatusMessage, encodeStatusMessage, type ListMetaFields } from './protobuf/status-message.ts';
export {
  decodeWatchEventMessage,
  encodeWatchFrame,
  LengthDelimitedFrameDecoder,
  MAX_WATCH_FRAME_BYTES,
  type ProtobufWatchFrame,
} from './protobuf/watch-frames.ts';
export { decodeProtobufBody } from './protobuf/decode-object.ts';
export { JsonPreferences, type ProtobufRecipe } from './protobuf/negotiation.ts';

// Transport pieces a config can carry.
export type { Credentials, CredentialProvider } from './transport/credential-provider.ts';
export { encodeExtraKey } from './transport/impersonation.ts';
export { type RateLimiter, TokenBucketRateLimiter } from './transport/rate-limiter.ts';
export { KGO_REST_VERSION } from './transport/user-agent.ts';
export {
  createDeduplicatingWarningHandler,
  ignoreWarnings,
  parseWarningHeaders,
  type Warning,
  type WarningHandler,
} from './transport/warnings.ts';

// Errors.
export { CredentialError } from './errors/credential-error.ts';
export { DecodeError } from './errors/decode-error.ts';
export { errorMarker, hasErrorMarker, KGO_ERROR_KEY, KgoError } from './errors/kgo-error.ts';
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
export type { RequestDescription } from './errors/request-description.ts';
export { RequestError } from './errors/request-error.ts';
export { StatusError } from './errors/status-error.ts';

// Utilities.
export { redactUrl } from './utils/redact-url.ts';
export {
  type Backoff,
  backoffDelays,
  DEFAULT_BACKOFF,
  DEFAULT_RETRY,
  onError,
  type RetryOptions,
  retryOnConflict,
} from './utils/retry-on-conflict.ts';

import { type Status, StatusReason } from '../meta/status.ts';
import { errorMarker, hasErrorMarker, KgoError } from './kgo-error.ts';
import type { RequestDescription } from './request-description.ts';

const marker = errorMarker('rest.StatusError');

/**
 * The API server refused a request. Carries the server's {@link Status} (code, reason, message,
 * details with causes); when the body was not a Status, the reason is derived from the HTTP code
 * as client-go does. Check kinds with the predicates (`isNotFound`, …), which also work on
 * errors from another copy of this package.
 */
export class StatusError extends KgoError {
  override name = 'StatusError';
  /** The Status the server sent, or one derived from the HTTP code and body. */
  readonly status: Status & { code: number; reason: string; message: string };
  /** The request that failed. */
  readonly request: RequestDescription | undefined;
  readonly [marker] = true;

  constructor(status: Status & { code: number; reason: string; message: string }, request?: RequestDescription) {
    super(status.message);
    this.status = status;
    this.request = request;
  }

  /** HTTP status code. */
  get code(): number {
    return this.status.code;
  }

  /** Machine-readable reason (`NotFound`, `Conflict`, …). */
  get reason(): string {
    return this.status.reason;
  }

  /** True for a StatusError from any copy of `@kgo/rest`. */
  static override isInstance(error: unknown): error is StatusError {
    return hasErrorMarker(error, marker);
  }
}

const genericMessages: Record<number, [reason: string, message: string]> = {
  400: [StatusReason.BadRequest, 'the server rejected our request for an unknown reason'],
  401: [StatusReason.Unauthorized, 'the server has asked for the client to provide credentials'],
  403: [StatusReason.Forbidden, 'the server does not allow access to the requested resource'],
  404: [StatusReason.NotFound, 'the server could not find the requested resource'],
  405: [StatusReason.MethodNotAllowed, 'the server does not allow this method on the requested resource'],
  406: [StatusReason.NotAcceptable, 'the server was unable to respond with a content type that the client supports'],
  409: [StatusReason.Conflict, 'the server reported a conflict'],
  410: [StatusReason.Gone, 'the requested resource is no longer available'],
  413: [StatusReason.RequestEntityTooLarge, 'the server has rejected the request because it is too large'],
  415: [StatusReason.UnsupportedMediaType, 'the server does not support the content type of the request'],
  422: [StatusReason.Invalid, 'the server rejected our request due to an error in our request'],
  429: [StatusReason.TooManyRequests, 'the server has received too many requests and has asked us to try again later'],
  503: [StatusReason.ServiceUnavailable, 'the server is currently unable to handle the request'],
  504: [StatusReason.Timeout, 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/**
 * Builds the StatusError for a failed response whose body is not a Status, like client-go's
 * `NewGenericServerResponse`: the reason comes from the code (409 is AlreadyExists for POST),
 * and the message names the verb and resource.
 */
export function genericStatusError(code: number, body: string, request: RequestDescription, retryAfterSeconds?: number): StatusError {
  let [reason, message] = genericMessages[code] ?? [StatusReason.Unknown, ''];
  if (code === 409 && request.verb === 'POST') {
    reason = StatusReason.AlreadyExists;
    message = 'the server reported a conflict';
  } else if (code >= 500 && !genericMessages[code]) {
    reason = StatusReason.InternalError;
    message = `an error on the server (${JSON.stringify(truncate(body.trim(), 200) || 'unknown')}) has prevented the request from succeeding`;
  } else if (!message) {
    message = `the server responded with the status code ${code} but did not return more information`;
  }
  const target = [request.verb.toLowerCase(), request.resource, request.name].filter(Boolean).join(' ');
  return new StatusError(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
      message: `${message} (${target || request.url})`,
      details: retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
    },
    request,
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

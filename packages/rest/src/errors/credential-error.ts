import { errorMarker, hasErrorMarker, KgoError } from './kgo-error.ts';
import { describeRequest, type RequestDescription } from './request-description.ts';

const marker = errorMarker('rest.CredentialError');

/**
 * The credentials for a request could not be obtained: a `CredentialProvider` (exec plugin,
 * OIDC) or the bearer token file failed before anything was sent. Errors that a provider throws
 * as kgo errors (`KgoError.isInstance`) reach the caller unchanged, with their own message (an
 * exec plugin that is not installed says so, with its install hint); anything else is wrapped
 * in this class.
 */
export class CredentialError extends KgoError {
  override name = 'CredentialError';
  readonly [marker] = true;
  /** The request that needed the credentials. */
  readonly request: RequestDescription | undefined;

  constructor(message: string, request?: RequestDescription, options?: { cause?: unknown }) {
    super(message, options);
    this.request = request;
  }

  /** Wraps a provider's failure, unless it is already a kgo error. */
  static from(error: unknown, request: RequestDescription): Error {
    if (KgoError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new CredentialError(`${describeRequest(request)}: getting credentials failed: ${message}`, request, { cause: error });
  }

  /** True for a CredentialError from any copy of `@kgo/rest`. */
  static override isInstance(error: unknown): error is CredentialError {
    return hasErrorMarker(error, marker);
  }
}

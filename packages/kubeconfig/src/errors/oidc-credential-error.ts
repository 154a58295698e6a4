import { errorMarker, hasErrorMarker } from '@kgo/rest';
import { KubeconfigError, type KubeconfigErrorOptions } from './kubeconfig-error.ts';

const marker = errorMarker('kubeconfig.OidcCredentialError');

/** Options of {@link OidcCredentialError}. */
export interface OidcCredentialErrorOptions extends KubeconfigErrorOptions {
  /** The issuer endpoint that failed (discovery document or token endpoint), user info redacted. */
  endpoint?: string | undefined;
  /** The endpoint's HTTP status, when it answered. */
  httpStatus?: number | undefined;
}

/**
 * The `oidc` auth provider could not supply an id-token when credentials were needed: the stored
 * token is unusable and there is no refresh token, or refreshing it at the issuer failed (the issuer
 * refused the connection, did not answer in time, answered an error, or answered without an
 * id_token). The message names the issuer endpoint — never the API server — and the user and
 * kubeconfig file; it never contains a token or the client secret.
 */
export class OidcCredentialError extends KubeconfigError {
  override name = 'OidcCredentialError';
  /** The issuer endpoint that failed, user info redacted. */
  readonly endpoint: string | undefined;
  /** The endpoint's HTTP status, when it answered. */
  readonly httpStatus: number | undefined;
  readonly [marker] = true;

  constructor(message: string, options: OidcCredentialErrorOptions = {}) {
    super(message, options);
    this.endpoint = options.endpoint;
    this.httpStatus = options.httpStatus;
  }

  /** True for an OidcCredentialError from any copy of `@kgo/kubeconfig`. */
  static override isInstance(error: unknown): error is OidcCredentialError {
    return hasErrorMarker(error, marker);
  }
}

/**
 * Credentials a {@link CredentialProvider} hands to the transport for one request.
 * Exactly what the server should see: a bearer token, a client certificate, or both.
 */
export interface Credentials {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** PEM client certificate and key, presented in the TLS handshake. */
  clientCertificate?: { certData: string; keyData: string } | undefined;
}

/**
 * A source of credentials that can change over time: exec credential plugins and OIDC in
 * `@kgo/kubeconfig` implement it. The transport calls {@link CredentialProvider.getCredentials}
 * before every request (implementations cache until expiry) and
 * {@link CredentialProvider.onUnauthorized} after a 401, so the next request gets fresh ones
 * (the 401 itself is returned to the caller, as in client-go).
 */
export interface CredentialProvider {
  /** Credentials for the next request. */
  getCredentials(signal?: AbortSignal): Promise<Credentials>;
  /** The server answered 401 to a request made with `used`: drop them if they are still current. */
  onUnauthorized?(used: Credentials): void;
}

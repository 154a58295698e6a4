import type { Credentials } from './credential-provider.ts';
import type { RestConfig } from '../rest-config.ts';
import { TokenFileSource } from './token-file.ts';
import type { ClientCertificate } from './transport.ts';

/** What one request carries for authentication. */
export interface PreparedAuth {
  authorization: string | undefined;
  /** A client certificate from the provider; the transport picks the connection pool for it. */
  clientCertificate: ClientCertificate | undefined;
  /** The provider's credentials used, to report back after a 401. */
  used: Credentials | undefined;
}

/**
 * Chooses each request's credentials, in client-go's order: a credential provider (exec,
 * OIDC), else a bearer token, else a token file, else basic auth; client certificates from the
 * TLS config or the provider select the connection pool.
 */
export class Authenticator {
  readonly #config: RestConfig;
  readonly #tokenFile: TokenFileSource | undefined;

  constructor(config: RestConfig) {
    this.#config = config;
    this.#tokenFile = config.bearerTokenFile ? new TokenFileSource(config.bearerTokenFile) : undefined;
    // A user name and password may hold anything: basic auth sends them base64-encoded, as client-go does.
    refuseUnsafeCredential(config.bearerToken, `RestConfig for ${config.host}: bearerToken`);
    if ((config.bearerToken || config.bearerTokenFile) && (config.username || config.password)) {
      throw new TypeError(`RestConfig for ${config.host}: more than one authentication method found (bearer token and basic auth); set only one`);
    }
  }

  async prepare(signal?: AbortSignal): Promise<PreparedAuth> {
    const provider = this.#config.credentialProvider;
    if (provider) {
      const used = await provider.getCredentials(signal);
      refuseUnsafeCredential(used.token, 'the token from the credential provider (exec plugin or OIDC)');
      return {
        authorization: used.token ? `Bearer ${used.token}` : await this.#staticAuthorization(),
        clientCertificate: used.clientCertificate,
        used,
      };
    }
    return { authorization: await this.#staticAuthorization(), clientCertificate: undefined, used: undefined };
  }

  /** Tells the provider its credentials were refused, so the next request gets fresh ones. */
  unauthorized(used: Credentials | undefined): void {
    if (used) this.#config.credentialProvider?.onUnauthorized?.(used);
  }

  async #staticAuthorization(): Promise<string | undefined> {
    const config = this.#config;
    // client-go: the last token read from the file wins; the inline token stands in while the
    // file cannot be read (transport.NewBearerAuthWithRefreshRoundTripper).
    if (this.#tokenFile) {
      try {
        const token = await this.#tokenFile.token();
        refuseUnsafeCredential(token, `the bearer token file ${this.#tokenFile.path}`);
        return `Bearer ${token}`;
      } catch (error) {
        if (!config.bearerToken) throw error;
      }
    }
    if (config.bearerToken) return `Bearer ${config.bearerToken}`;
    if (config.username !== undefined || config.password !== undefined) {
      return `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`;
    }
    return undefined;
  }
}

/**
 * Refuses a credential that goes into an HTTP header as it is (a bearer token) and cannot travel
 * there (CR, LF or NUL inside). The header layer would otherwise reject it with a message quoting
 * the whole header value, token included; this error names where the value came from and never
 * the value.
 */
export function refuseUnsafeCredential(value: string | undefined, source: string): void {
  if (value !== undefined && /[\r\n\0]/.test(value)) {
    throw new TypeError(`${source} contains a line break or NUL character, which cannot be sent in an HTTP header; check how the credential was copied`);
  }
}

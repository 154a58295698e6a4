import type { Dispatcher } from 'undici';
import type { Credentials } from './credential-provider.ts';
import type { RestConfig } from '../rest-config.ts';
import { TokenFileSource } from './token-file.ts';
import type { Transport } from './transport.ts';

/** What one request carries for authentication. */
export interface PreparedAuth {
  authorization: string | undefined;
  dispatcher: Dispatcher;
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
  readonly #transport: Transport;
  readonly #tokenFile: TokenFileSource | undefined;

  constructor(config: RestConfig, transport: Transport) {
    this.#config = config;
    this.#transport = transport;
    this.#tokenFile = config.bearerTokenFile ? new TokenFileSource(config.bearerTokenFile) : undefined;
    if ((config.bearerToken || config.bearerTokenFile) && (config.username || config.password)) {
      throw new TypeError(`RestConfig for ${config.host}: more than one authentication method found (bearer token and basic auth); set only one`);
    }
  }

  async prepare(signal?: AbortSignal): Promise<PreparedAuth> {
    const provider = this.#config.credentialProvider;
    if (provider) {
      const used = await provider.getCredentials(signal);
      return {
        authorization: used.token ? `Bearer ${used.token}` : await this.#staticAuthorization(),
        dispatcher: this.#transport.dispatcher(used.clientCertificate),
        used,
      };
    }
    return { authorization: await this.#staticAuthorization(), dispatcher: this.#transport.dispatcher(), used: undefined };
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
        return `Bearer ${await this.#tokenFile.token()}`;
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

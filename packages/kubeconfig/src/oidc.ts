import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { CredentialProvider, Credentials } from '@kgo/rest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';

/** Options of {@link OidcCredentialProvider}. */
export interface OidcCredentialProviderOptions {
  /** The `auth-provider.config` map: `idp-issuer-url`, `client-id`, `client-secret`, `id-token`, `refresh-token`, `idp-certificate-authority[-data]`. */
  config: Record<string, string>;
  /** User name and kubeconfig file, for error messages. */
  userName?: string | undefined;
  file?: string | undefined;
  /**
   * Called with the new config after a refresh. client-go writes it back to the kubeconfig; kgo
   * leaves that choice to the caller (default: keep it in memory only).
   */
  persist?: ((config: Record<string, string>) => void | Promise<void>) | undefined;
  /** Clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

// client-go treats a token that expires within 10 s as expired already.
const EXPIRY_DELTA_MS = 10_000;

/**
 * `auth-provider: oidc` (client-go `plugin/pkg/client/auth/oidc`): sends the stored `id-token`
 * while it is valid; once expired, refreshes it with the `refresh-token` at the issuer's token
 * endpoint (found by OpenID discovery). Without a refresh token it fails and says why.
 */
export class OidcCredentialProvider implements CredentialProvider {
  readonly #options: OidcCredentialProviderOptions;
  readonly #now: () => number;
  #config: Record<string, string>;
  #refreshing: Promise<string> | undefined;

  /** @throws KubeconfigError when `idp-issuer-url` or `client-id` is missing, as client-go. */
  constructor(options: OidcCredentialProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#config = { ...options.config };
    for (const key of ['idp-issuer-url', 'client-id']) {
      if (!this.#config[key]) throw this.#error(`oidc auth-provider: Must provide ${key}; add it to auth-provider.config`, key);
    }
  }

  /** The id-token while valid, else a refreshed one. */
  async getCredentials(): Promise<Credentials> {
    const idToken = this.#config['id-token'];
    if (idToken && this.#valid(idToken)) return { token: idToken };
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return { token: await this.#refreshing };
  }

  /** The server refused the id-token: drop it so the next request refreshes. */
  onUnauthorized(used: Credentials): void {
    if (used.token && used.token === this.#config['id-token'] && this.#config['refresh-token']) delete this.#config['id-token'];
  }

  #valid(idToken: string): boolean {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw this.#error('oidc auth-provider: ID Token is not a valid JWT; log in again to get a new id-token', 'id-token');
    let exp: unknown;
    try {
      exp = (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    } catch {
      throw this.#error('oidc auth-provider: the id-token claims cannot be decoded; log in again', 'id-token');
    }
    const expiresAt = typeof exp === 'number' ? Math.trunc(exp) * 1000 : 0;
    return this.#now() + EXPIRY_DELTA_MS < expiresAt;
  }

  async #refresh(): Promise<string> {
    const refreshToken = this.#config['refresh-token'];
    if (!refreshToken) {
      throw this.#error(
        'oidc auth-provider: No valid id-token, and cannot refresh without refresh-token; log in again (e.g. with kubelogin) to store a fresh id-token',
        'refresh-token',
      );
    }
    const ca = await this.#ca();
    const issuer = this.#config['idp-issuer-url']!;
    const wellKnown = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const discovery = await send(wellKnown, { method: 'GET', ca }).catch((error: unknown) => {
      throw this.#error(`oidc: cannot reach the issuer's discovery document ${wellKnown}: ${(error as Error).message}`, 'idp-issuer-url', error);
    });
    if (discovery.status !== 200) throw this.#error(`oidc: failed to query metadata endpoint ${wellKnown}: HTTP ${discovery.status}`, 'idp-issuer-url');
    let tokenUrl: unknown;
    try {
      tokenUrl = (JSON.parse(discovery.body) as { token_endpoint?: unknown }).token_endpoint;
    } catch {
      throw this.#error('oidc: failed to decode provider discovery object', 'idp-issuer-url');
    }
    if (typeof tokenUrl !== 'string' || !tokenUrl) throw this.#error("oidc: discovery object doesn't contain a token_endpoint", 'idp-issuer-url');

    const clientId = this.#config['client-id']!;
    const clientSecret = this.#config['client-secret'] ?? '';
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    // Like golang.org/x/oauth2's auto-detection: HTTP Basic client auth first, then form parameters.
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
    let response = await this.#post(tokenUrl, form.toString(), { authorization: basic }, ca);
    if (response.status === 400 || response.status === 401) {
      const withParams = new URLSearchParams(form);
      withParams.set('client_id', clientId);
      if (clientSecret) withParams.set('client_secret', clientSecret);
      response = await this.#post(tokenUrl, withParams.toString(), {}, ca);
    }
    if (response.status !== 200) {
      throw this.#error(`oidc: failed to refresh token: the token endpoint answered HTTP ${response.status}; the refresh-token may be expired or revoked, log in again`, 'refresh-token');
    }
    let tokens: { id_token?: unknown; refresh_token?: unknown };
    try {
      tokens = JSON.parse(response.body) as typeof tokens;
    } catch {
      throw this.#error('oidc: failed to refresh token: the token endpoint did not answer JSON', 'refresh-token');
    }
    if (typeof tokens.id_token !== 'string' || !tokens.id_token) {
      throw this.#error(
        'oidc: token response did not contain an id_token, either the scope "openid" wasn\'t requested upon login, or the provider doesn\'t support id_tokens as part of the refresh response',
        'refresh-token',
      );
    }
    const next: Record<string, string> = { ...this.#config, 'id-token': tokens.id_token };
    if (typeof tokens.refresh_token === 'string' && tokens.refresh_token) next['refresh-token'] = tokens.refresh_token;
    await this.#options.persist?.({ ...next });
    this.#config = next;
    return tokens.id_token;
  }

  async #post(url: string, body: string, headers: Record<string, string>, ca: string | undefined) {
    return send(url, { method: 'POST', body, ca, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers } }).catch(
      (error: unknown) => {
        throw this.#error(`oidc: cannot reach the token endpoint: ${(error as Error).message}`, 'idp-issuer-url', error);
      },
    );
  }

  async #ca(): Promise<string | undefined> {
    const data = this.#config['idp-certificate-authority-data'];
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const file = this.#config['idp-certificate-authority'];
    if (!file) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw this.#error(`oidc: unable to read idp-certificate-authority ${file}`, 'idp-certificate-authority', error);
    }
  }

  #error(message: string, key: string, cause?: unknown): KubeconfigError {
    const { userName, file } = this.#options;
    const who = userName !== undefined ? ` (user "${userName}"${file ? ` in ${file}` : ''})` : '';
    return new KubeconfigError(`${message}${who}`, {
      file,
      field: `${userName !== undefined ? `users[${userName}].user.` : ''}auth-provider.config.${key}`,
      cause,
    });
  }
}

interface SendOptions {
  method: string;
  body?: string;
  ca?: string | undefined;
  headers?: Record<string, string>;
}

// node:https rather than fetch: a per-request CA needs no extra dependency this way.
function send(url: string, options: SendOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = request(target, { method: options.method, headers: options.headers, ca: options.ca, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

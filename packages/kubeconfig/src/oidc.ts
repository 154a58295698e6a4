import { readFile } from 'node:fs/promises';
import { type CredentialProvider, type Credentials, redactUrl } from '@kgo/rest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { OidcCredentialError } from './errors/oidc-credential-error.ts';
import { raceAbort } from './race-abort.ts';
import { headerUnsafe } from './unsafe-values.ts';

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
  /**
   * The longest a refresh (discovery and token request together) may take, in ms. Default 30 000.
   * Each call's own signal (its `timeoutMs`) also ends that call's wait.
   */
  refreshTimeoutMs?: number | undefined;
  /** Clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

// client-go treats a token that expires within 10 s as expired already.
const EXPIRY_DELTA_MS = 10_000;
const DEFAULT_REFRESH_TIMEOUT_MS = 30_000;

const TLS_VERIFY_CODES = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** The issuer endpoint a refresh is talking to, for messages. */
interface Endpoint {
  /** `the issuer's discovery document` or `the token endpoint`. */
  what: string;
  url: string;
}

/**
 * `auth-provider: oidc` (client-go `plugin/pkg/client/auth/oidc`): sends the stored `id-token`
 * while it is valid; once expired, refreshes it with the `refresh-token` at the issuer's token
 * endpoint (found by OpenID discovery). Without a refresh token it fails and says why.
 *
 * A refresh is shared by concurrent callers and bounded by `refreshTimeoutMs`; each caller's signal
 * ends its own wait. Failures are {@link OidcCredentialError}s naming the issuer endpoint (never
 * the API server), the user and the kubeconfig file.
 */
export class OidcCredentialProvider implements CredentialProvider {
  readonly #options: OidcCredentialProviderOptions;
  readonly #now: () => number;
  readonly #refreshTimeoutMs: number;
  #config: Record<string, string>;
  #refreshing: Promise<string> | undefined;
  /** Where the current refresh is, for an abort message. */
  #at: Endpoint | undefined;

  /** @throws KubeconfigError when `idp-issuer-url` or `client-id` is missing, as client-go. */
  constructor(options: OidcCredentialProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#refreshTimeoutMs = options.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
    this.#config = { ...options.config };
    for (const key of ['idp-issuer-url', 'client-id']) {
      if (!this.#config[key]) {
        throw new KubeconfigError(`oidc auth-provider: Must provide ${key}; add it to auth-provider.config${this.#who()}`, { file: options.file, field: this.#field(key) });
      }
    }
  }

  /**
   * The id-token while valid, else a refreshed one.
   *
   * @throws OidcCredentialError when there is no usable token and refreshing fails, or `signal` fires first.
   */
  async getCredentials(signal?: AbortSignal): Promise<Credentials> {
    const idToken = this.#config['id-token'];
    if (idToken && this.#valid(idToken)) return { token: idToken };
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
      this.#at = undefined;
    });
    const refreshing = this.#refreshing;
    return { token: await (signal ? raceAbort(refreshing, signal, (reason) => this.#abortError(reason)) : refreshing) };
  }

  /** The server refused the id-token: drop it so the next request refreshes. */
  onUnauthorized(used: Credentials): void {
    if (used.token && used.token === this.#config['id-token'] && this.#config['refresh-token']) delete this.#config['id-token'];
  }

  #valid(idToken: string): boolean {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw this.#error('oidc auth-provider: ID Token is not a valid JWT; log in again to get a new id-token', 'id-token');
    if (headerUnsafe(idToken)) throw this.#error(`oidc auth-provider: the id-token contains ${headerUnsafe(idToken)}; log in again to get a new id-token`, 'id-token');
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
    // One deadline for the whole refresh: a silent issuer must not hold requests for longer.
    const deadline = AbortSignal.timeout(this.#refreshTimeoutMs);
    const ca = await this.#ca();
    const issuer = this.#config['idp-issuer-url']!;
    const discovery: Endpoint = { what: "the issuer's discovery document", url: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration` };
    const metadata = await this.#send(discovery, { method: 'GET', ca, signal: deadline }, 'idp-issuer-url');
    if (metadata.status !== 200) {
      throw this.#error(`oidc: failed to query metadata endpoint ${redactUrl(discovery.url)}: HTTP ${metadata.status}; check idp-issuer-url`, 'idp-issuer-url', {
        endpoint: discovery.url,
        httpStatus: metadata.status,
      });
    }
    let tokenUrl: unknown;
    try {
      tokenUrl = (JSON.parse(metadata.body) as { token_endpoint?: unknown }).token_endpoint;
    } catch {
      throw this.#error(`oidc: failed to decode provider discovery object from ${redactUrl(discovery.url)}`, 'idp-issuer-url', { endpoint: discovery.url });
    }
    if (typeof tokenUrl !== 'string' || !tokenUrl) {
      throw this.#error(`oidc: discovery object at ${redactUrl(discovery.url)} doesn't contain a token_endpoint`, 'idp-issuer-url', { endpoint: discovery.url });
    }
    const token: Endpoint = { what: 'the token endpoint', url: tokenUrl };

    const clientId = this.#config['client-id']!;
    const clientSecret = this.#config['client-secret'] ?? '';
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const post = (body: string, headers: Record<string, string>) =>
      this.#send(
        token,
        { method: 'POST', body, ca, signal: deadline, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers } },
        'idp-issuer-url',
      );
    // Like golang.org/x/oauth2's auto-detection: HTTP Basic client auth first, then form parameters.
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
    let response = await post(form.toString(), { authorization: basic });
    if (response.status === 400 || response.status === 401) {
      const withParams = new URLSearchParams(form);
      withParams.set('client_id', clientId);
      if (clientSecret) withParams.set('client_secret', clientSecret);
      response = await post(withParams.toString(), {});
    }
    if (response.status !== 200) {
      throw this.#error(
        `oidc: failed to refresh token: the token endpoint ${redactUrl(token.url)} answered HTTP ${response.status}; the refresh-token may be expired or revoked, log in again`,
        'refresh-token',
        { endpoint: token.url, httpStatus: response.status },
      );
    }
    let tokens: { id_token?: unknown; refresh_token?: unknown };
    try {
      tokens = JSON.parse(response.body) as typeof tokens;
    } catch {
      throw this.#error(`oidc: failed to refresh token: the token endpoint ${redactUrl(token.url)} did not answer JSON`, 'refresh-token', { endpoint: token.url });
    }
    if (typeof tokens.id_token !== 'string' || !tokens.id_token) {
      throw this.#error(
        'oidc: token response did not contain an id_token, either the scope "openid" wasn\'t requested upon login, or the provider doesn\'t support id_tokens as part of the refresh response',
        'refresh-token',
        { endpoint: token.url },
      );
    }
    if (headerUnsafe(tokens.id_token)) {
      throw this.#error(`oidc: the token endpoint ${redactUrl(token.url)} returned an id_token containing ${headerUnsafe(tokens.id_token)} (not shown)`, 'refresh-token', {
        endpoint: token.url,
      });
    }
    const next: Record<string, string> = { ...this.#config, 'id-token': tokens.id_token };
    if (typeof tokens.refresh_token === 'string' && tokens.refresh_token) next['refresh-token'] = tokens.refresh_token;
    await this.#options.persist?.({ ...next });
    this.#config = next;
    return tokens.id_token;
  }

  /** One request to an issuer endpoint; a failure to get an answer names that endpoint. */
  async #send(endpoint: Endpoint, options: SendOptions, key: string): Promise<{ status: number; body: string }> {
    this.#at = endpoint;
    try {
      return await send(endpoint.url, options);
    } catch (error) {
      throw this.#error(`oidc: cannot reach ${endpoint.what} ${redactUrl(endpoint.url)}: ${this.#networkProblem(endpoint, error, options.signal)}`, key, {
        endpoint: endpoint.url,
        cause: error,
      });
    }
  }

  #networkProblem(endpoint: Endpoint, error: unknown, deadline: AbortSignal): string {
    const host = safeHost(endpoint.url);
    if (deadline.aborted) return `no answer within ${this.#refreshTimeoutMs / 1000} s (the refresh timeout)`;
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ECONNREFUSED') return `connection refused: is the OIDC issuer running at ${host}?`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the issuer's host ${host} (${code})`;
    if (code && TLS_VERIFY_CODES.test(code)) {
      return `TLS verification of ${host} failed: ${message} (${code}); check idp-certificate-authority or idp-certificate-authority-data`;
    }
    return `${message}${code ? ` (${code})` : ''}`;
  }

  async #ca(): Promise<string | undefined> {
    const data = this.#config['idp-certificate-authority-data'];
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const file = this.#config['idp-certificate-authority'];
    if (!file) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw this.#error(`oidc: unable to read idp-certificate-authority ${file}`, 'idp-certificate-authority', { cause: error });
    }
  }

  #abortError(reason: unknown): OidcCredentialError {
    const timedOut = (reason as Error | undefined)?.name === 'TimeoutError';
    const why = timedOut ? "the call's timeout expired" : `the call was aborted (${(reason as Error | undefined)?.message ?? String(reason)})`;
    const at = this.#at;
    const where = at ? ` at ${at.what} ${redactUrl(at.url)}` : '';
    return this.#error(`oidc: refreshing the id-token${where} had not finished when ${why}`, 'idp-issuer-url', { endpoint: at?.url, cause: reason });
  }

  #who(): string {
    const { userName, file } = this.#options;
    return userName !== undefined ? ` (user "${userName}"${file ? ` in ${file}` : ''})` : '';
  }

  #field(key: string): string {
    return `${this.#options.userName !== undefined ? `users[${this.#options.userName}].user.` : ''}auth-provider.config.${key}`;
  }

  #error(message: string, key: string, extra: { endpoint?: string | undefined; httpStatus?: number; cause?: unknown } = {}): OidcCredentialError {
    return new OidcCredentialError(`getting credentials: ${message}${this.#who()}`, {
      file: this.#options.file,
      field: this.#field(key),
      endpoint: extra.endpoint === undefined ? undefined : redactUrl(extra.endpoint),
      httpStatus: extra.httpStatus,
      cause: extra.cause,
    });
  }
}

interface SendOptions {
  method: string;
  body?: string;
  ca?: string | undefined;
  headers?: Record<string, string>;
  signal: AbortSignal;
}

// node:https rather than fetch: a per-request CA needs no extra dependency this way. Loaded when
// a token is first refreshed, not on import (node:https is ~18 ms of an import, most programs never refresh).
async function send(url: string, options: SendOptions): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const { request } = target.protocol === 'http:' ? await import('node:http') : await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method, headers: options.headers, ca: options.ca, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return redactUrl(url);
  }
}

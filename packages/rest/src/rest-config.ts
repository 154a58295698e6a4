import type { CredentialProvider } from './transport/credential-provider.ts';
import type { RateLimiter } from './transport/rate-limiter.ts';
import type { WarningHandler } from './transport/warnings.ts';

/**
 * TLS settings of a {@link RestConfig}. PEM data only: `@kgo/kubeconfig` reads files
 * (`certificate-authority`, `client-certificate`, `client-key`) into data before building a config.
 * Verification is on unless {@link TlsConfig.insecure} is true.
 */
export interface TlsConfig {
  /** PEM CA bundle that verifies the server. When set, it replaces the system roots (as client-go). */
  caData?: string | undefined;
  /** PEM client certificate (with any intermediates) for client-certificate authentication. */
  certData?: string | undefined;
  /** PEM private key of {@link TlsConfig.certData}. */
  keyData?: string | undefined;
  /** Skip server certificate verification. Rejected together with `caData`, as client-go does; reported as a warning (once per server with the default warning handler). */
  insecure?: boolean | undefined;
  /** Name to verify the server certificate against (and send as SNI) instead of the host's name. */
  serverName?: string | undefined;
}

/** Impersonation: act as another user. Sent as `Impersonate-*` headers, one line per group. */
export interface ImpersonationConfig {
  /** `Impersonate-User` */
  userName?: string | undefined;
  /** `Impersonate-Uid` */
  uid?: string | undefined;
  /** `Impersonate-Group`, one header line each. */
  groups?: string[] | undefined;
  /** `Impersonate-Extra-<key>`, one header line per value. */
  extra?: Record<string, string[]> | undefined;
}

/**
 * The HTTP/2 connection health check (client-go's, from golang.org/x/net/http2): after
 * `readIdleTimeoutMs` without a frame from the server, send a PING; if it is not answered within
 * `pingTimeoutMs`, close the connection (its GETs are retried on a new one). kgo also pings a
 * connection at once when one of its streams failed while it stayed open, and closes it when
 * that PING is not answered within 5 s.
 */
export interface Http2Config {
  /** Default 30 000 (client-go: `HTTP2_READ_IDLE_TIMEOUT_SECONDS`, 30). 0 turns the health check off, the ping after a failed stream too. */
  readIdleTimeoutMs?: number | undefined;
  /** Default 15 000 (client-go: `HTTP2_PING_TIMEOUT_SECONDS`, 15). */
  pingTimeoutMs?: number | undefined;
}

/**
 * Everything needed to talk to one API server: the TypeScript counterpart of client-go's
 * `rest.Config`. Build it by hand, or get it from `@kgo/kubeconfig`'s `loadConfig()`.
 *
 * @example
 * ```ts
 * const config: RestConfig = { host: 'https://127.0.0.1:6443', bearerToken: token, tls: { caData: caPem } };
 * ```
 */
export interface RestConfig {
  /** Server URL, `https://host:port`, optionally with a path prefix (`https://host/k8s/clusters/c-1`). */
  host: string;
  /** TLS settings; only used for https servers. */
  tls?: TlsConfig | undefined;
  /** Bearer token. Used when no {@link RestConfig.bearerTokenFile} is set, or while that file cannot be read. */
  bearerToken?: string | undefined;
  /**
   * File holding a bearer token, re-read about once a minute (projected service-account tokens
   * rotate). Its last successfully read token wins over {@link RestConfig.bearerToken} (client-go).
   */
  bearerTokenFile?: string | undefined;
  /** Basic-auth user name. */
  username?: string | undefined;
  /** Basic-auth password. */
  password?: string | undefined;
  /**
   * Supplies credentials per request and refreshes them after a 401 (exec plugins, OIDC). Takes
   * precedence over the static token and basic auth.
   */
  credentialProvider?: CredentialProvider | undefined;
  /** Act as another user. */
  impersonate?: ImpersonationConfig | undefined;
  /** Proxy for all requests: `http://` or `https://` (CONNECT), or `socks5://`. */
  proxyUrl?: string | undefined;
  /**
   * `User-Agent`. Default: `<app>/<node version> (<platform>/<arch>) kgo/<version>`, where `<app>` is the
   * entry script's name (client-go uses the binary's name and version).
   */
  userAgent?: string | undefined;
  /** Requests per second for the default token-bucket limiter. Default 5; a negative value disables limiting. */
  qps?: number | undefined;
  /** Burst of the default limiter. Default 10. */
  burst?: number | undefined;
  /** A limiter of your own; replaces {@link RestConfig.qps}/{@link RestConfig.burst}. */
  rateLimiter?: RateLimiter | undefined;
  /** Default timeout of each call, retries included, in milliseconds. Default: none. */
  timeoutMs?: number | undefined;
  /** Do not ask for gzip-compressed responses. */
  disableCompression?: boolean | undefined;
  /** Receives `Warning` headers. Default: print each distinct warning once to stderr. */
  warningHandler?: WarningHandler | undefined;
  /**
   * HTTP/2, offered in ALPN as client-go does (kube-apiserver then speaks it), with its connection
   * health check; `false` speaks HTTP/1.1 only (client-go: `DISABLE_HTTP2`). Unset: client-go's
   * environment variables `DISABLE_HTTP2`, `HTTP2_READ_IDLE_TIMEOUT_SECONDS` and
   * `HTTP2_PING_TIMEOUT_SECONDS` apply, then the defaults. Either way every connection has TCP
   * keep-alive (30 s idle, 10 probes a second apart), so a connection whose peer went silent fails
   * within about 40 s, HTTP/1.1 watches included.
   */
  http2?: false | Http2Config | undefined;
  /** Retries of a request after a 429/5xx with `Retry-After` or a reset GET. Default 10. */
  maxRetries?: number | undefined;
}

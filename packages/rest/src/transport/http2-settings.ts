import type { RestConfig } from '../rest-config.ts';
import { redactUrl } from '../utils/redact-url.ts';

/** client-go's defaults (`k8s.io/apimachinery/pkg/util/net`): ping after 30 s without a frame, give up 15 s later. */
export const DEFAULT_HTTP2_READ_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_HTTP2_PING_TIMEOUT_MS = 15_000;

/** Whether a config speaks HTTP/2, and how its connections are health-checked. */
export interface Http2Settings {
  /** Offer HTTP/2 in ALPN (the server decides); otherwise HTTP/1.1 only. */
  enabled: boolean;
  /** Ping a connection after this long without a frame from the server; 0 turns the health check off. */
  readIdleTimeoutMs: number;
  /** Close the connection when a ping is not answered within this long. */
  pingTimeoutMs: number;
}

/**
 * The HTTP/2 settings of a config. `RestConfig.http2` wins; otherwise client-go's environment
 * variables apply (`DISABLE_HTTP2`, `HTTP2_READ_IDLE_TIMEOUT_SECONDS`, `HTTP2_PING_TIMEOUT_SECONDS`),
 * then client-go's defaults.
 */
export function http2Settings(
  config: RestConfig,
  env: Record<string, string | undefined> = process.env,
): Http2Settings {
  const option = config.http2;
  if (option === false) return { enabled: false, readIdleTimeoutMs: 0, pingTimeoutMs: 0 };
  const readIdleTimeoutMs =
    milliseconds(option?.readIdleTimeoutMs, 'http2.readIdleTimeoutMs', config) ?? seconds(env.HTTP2_READ_IDLE_TIMEOUT_SECONDS) ?? DEFAULT_HTTP2_READ_IDLE_TIMEOUT_MS;
  // As in Go's HTTP/2 transport, a ping timeout of 0 means the default.
  const pingTimeoutMs =
    (milliseconds(option?.pingTimeoutMs, 'http2.pingTimeoutMs', config) ?? seconds(env.HTTP2_PING_TIMEOUT_SECONDS)) || DEFAULT_HTTP2_PING_TIMEOUT_MS;
  // client-go: DISABLE_HTTP2 set to anything non-empty turns HTTP/2 off; an explicit RestConfig.http2 wins.
  const wanted = option !== undefined || !env.DISABLE_HTTP2;
  return { enabled: wanted, readIdleTimeoutMs, pingTimeoutMs };
}

function milliseconds(value: number | undefined, field: string, config: RestConfig): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`RestConfig for ${redactUrl(config.host)}: ${field} must be a number of milliseconds ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** An integer number of seconds from the environment, as client-go reads it; anything else is ignored (client-go warns and keeps its default). */
function seconds(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

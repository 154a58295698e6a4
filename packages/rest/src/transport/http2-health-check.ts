import type { Socket } from 'node:net';

/*
 * client-go's HTTP/2 connection health check (golang.org/x/net/http2 ReadIdleTimeout and
 * PingTimeout, on in every Kubernetes client since 1.20): when no frame has arrived on a
 * connection for a while, send a PING; when that goes unanswered, close the connection so that
 * its calls fail (and GETs are retried) and new calls get a new connection.
 *
 * kgo needs it more than Go does. Node's HTTP/2 client can miss a reset of its TCP connection
 * (seen against kube-apiserver through a resetting proxy): the session stays open and every
 * stream on it waits for ever. The connection pool (connection-pool.ts) starts one check per
 * HTTP/2 connection and hands it the session.
 *
 * It also checks at once where Go waits for the silence: when a stream failed while its session
 * stayed open (http2-stream-failure.ts says which failures count), the connection is pinged then,
 * with a deadline of its own ({@link STREAM_FAILURE_PING_TIMEOUT_MS}), so a session that stopped
 * answering is closed within seconds, not ~45 s.
 */

/** The part of a `ClientHttp2Session` the check uses. */
interface PingableSession {
  ping(callback: (error: Error | null) => void): boolean;
  readonly closed: boolean;
  readonly destroyed: boolean;
}

/**
 * How long a connection has to answer the PING sent when one of its streams failed. A live
 * connection answers within a round trip (milliseconds; under a second across continents, PING
 * answers go ahead of queued data in Go's server and nghttp2), so 5 s leaves room for a loaded
 * server or link, and still closes a session that stopped answering nine times sooner than the
 * idle check's 30 s + 15 s.
 */
export const STREAM_FAILURE_PING_TIMEOUT_MS = 5_000;

/** How a connection's health is checked. */
export interface Http2HealthCheckOptions {
  /** Ping after this long without a frame from the server. */
  readIdleTimeoutMs: number;
  /** Close the connection when a ping is not answered within this long. */
  pingTimeoutMs: number;
  /** Close the connection when the ping sent after a stream failed is not answered within this long ({@link STREAM_FAILURE_PING_TIMEOUT_MS} when left out). */
  streamFailurePingTimeoutMs?: number | undefined;
}

/** The `code` of {@link http2ConnectionLost}, which GETs are retried after. */
export const HTTP2_CONNECTION_LOST = 'http2-connection-lost';

/** The error a connection is closed with when its ping went unanswered (client-go: "http2: client connection lost"). */
export function http2ConnectionLost(options: Http2HealthCheckOptions): Error & { code: string } {
  return Object.assign(
    new Error(
      `HTTP/2 connection lost: the server did not answer a PING within ${formatSeconds(options.pingTimeoutMs)} ` +
        `(sent after ${formatSeconds(options.readIdleTimeoutMs)} without a frame), so kgo closed the connection`,
    ),
    { code: HTTP2_CONNECTION_LOST },
  );
}

/** The error a connection is closed with when the ping sent after one of its streams failed went unanswered. */
export function http2ConnectionLostAfterStreamFailure(timeoutMs: number): Error & { code: string } {
  return Object.assign(
    new Error(`HTTP/2 connection lost: the server did not answer a PING within ${formatSeconds(timeoutMs)} (sent when a stream on it failed), so kgo closed the connection`),
    { code: HTTP2_CONNECTION_LOST },
  );
}

/** Health-checks the HTTP/2 connection on `socket` (just connected, ALPN `h2`) until it closes. */
export class Http2HealthCheck {
  readonly #socket: Socket;
  readonly #options: Http2HealthCheckOptions;
  readonly #timer: NodeJS.Timeout;
  #session: PingableSession | undefined;
  #bytesRead: number;
  #lastReadAt = performance.now();
  #pingTimer: NodeJS.Timeout | undefined;
  #pingDeadline = Infinity;

  constructor(socket: Socket, options: Http2HealthCheckOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#bytesRead = socket.bytesRead;
    // Look every second (or at half the idle time, when shorter): the ping goes out at most a
    // second after readIdleTimeoutMs, as Go's timer does at it, so a dead connection is closed
    // within client-go's bound (30 s + 15 s). Half the idle time (15 s) let it reach 60 s.
    this.#timer = setInterval(() => this.#tick(), healthCheckTickMs(options.readIdleTimeoutMs)).unref();
    socket.once('close', () => this.#stop());
  }

  /** Called with the session on the connection, once it is made. */
  attach(session: PingableSession): void {
    this.#session ??= session;
  }

  /**
   * Called when a stream on the connection failed while the session stayed open: pings now, and
   * closes the connection when the answer does not come within the stream-failure deadline. With
   * a ping already in flight, no other is sent; its deadline is only brought forward.
   */
  streamFailed(): void {
    if (!this.#session) return;
    const timeoutMs = this.#options.streamFailurePingTimeoutMs ?? STREAM_FAILURE_PING_TIMEOUT_MS;
    this.#ping(this.#session, timeoutMs, () => http2ConnectionLostAfterStreamFailure(timeoutMs));
  }

  #tick(): void {
    // Bytes read count every frame, the answers to pings included (TLS plaintext bytes).
    const bytesRead = this.#socket.bytesRead;
    const now = performance.now();
    if (bytesRead !== this.#bytesRead) {
      this.#bytesRead = bytesRead;
      this.#lastReadAt = now;
      return;
    }
    if (this.#pingTimer || !this.#session || now - this.#lastReadAt < this.#options.readIdleTimeoutMs) return;
    this.#ping(this.#session, this.#options.pingTimeoutMs, () => http2ConnectionLost(this.#options));
  }

  /** Sends a PING, or with one in flight gives it the earlier deadline; `lost` is the error the connection is closed with. */
  #ping(session: PingableSession, timeoutMs: number, lost: () => Error): void {
    if (session.closed || session.destroyed) return;
    const deadline = performance.now() + timeoutMs;
    if (this.#pingTimer) {
      if (deadline >= this.#pingDeadline) return;
      clearTimeout(this.#pingTimer);
    } else {
      try {
        session.ping((error) => {
          if (error) return; // the session is going away on its own
          clearTimeout(this.#pingTimer);
          this.#pingTimer = undefined;
          this.#pingDeadline = Infinity;
          this.#lastReadAt = performance.now();
        });
      } catch {
        return; // closed meanwhile
      }
    }
    this.#pingDeadline = deadline;
    this.#pingTimer = setTimeout(() => this.#socket.destroy(lost()), timeoutMs).unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#pingTimer);
  }
}

/** How often a connection's health check looks at its bytes read. */
export function healthCheckTickMs(readIdleTimeoutMs: number): number {
  return Math.max(50, Math.min(1000, readIdleTimeoutMs / 2));
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/*
 * client-go's HTTP/2 connection health check (golang.org/x/net/http2 ReadIdleTimeout and
 * PingTimeout, on in every Kubernetes client since 1.20): when no frame has arrived on a
 * connection for a while, send a PING; when that goes unanswered, close the connection so that
 * its calls fail (and GETs are retried) and new calls get a new connection.
 *
 * kgo needs it more than Go does. Node's HTTP/2 client can miss a reset of its TCP connection
 * (seen against kube-apiserver through a resetting proxy, with undici and with bare node:http2):
 * the session stays open, every stream on it waits, and undici keeps sending new calls to it
 * until its 300 s headers timeout. undici's own liveness probe starts only after that timeout,
 * and its periodic PING ignores a missing answer.
 *
 * The session behind a socket is not reachable through undici's API; Node announces every
 * HTTP/2 client stream on `node:diagnostics_channel` with its session, and `session.socket`
 * reads through to the socket, where the check waits under a private symbol.
 */

const STREAM_CREATED = 'http2.client.stream.created';
const kHealthCheck = Symbol('kgo.http2HealthCheck');

/** The part of a `ClientHttp2Session` the check uses. */
interface PingableSession {
  ping(callback: (error: Error | null) => void): boolean;
  readonly closed: boolean;
  readonly destroyed: boolean;
}

// Checks still waiting to learn their session; the channel is listened to only while there are some.
const awaitingSession = new Set<Http2HealthCheck>();

function onStreamCreated(message: unknown): void {
  let session: (PingableSession & { socket: Record<symbol, unknown> }) | undefined;
  let check: unknown;
  try {
    session = (message as { stream: { session: PingableSession & { socket: Record<symbol, unknown> } } }).stream.session;
    check = session.socket[kHealthCheck];
  } catch {
    return; // a session of someone else's that is already gone
  }
  if (check instanceof Http2HealthCheck && session) check.attach(session);
}

function settle(check: Http2HealthCheck): void {
  if (awaitingSession.delete(check) && awaitingSession.size === 0) unsubscribe(STREAM_CREATED, onStreamCreated);
}

/** How a connection's health is checked. */
export interface Http2HealthCheckOptions {
  /** Ping after this long without a frame from the server. */
  readIdleTimeoutMs: number;
  /** Close the connection when a ping is not answered within this long. */
  pingTimeoutMs: number;
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

/** Health-checks the HTTP/2 connection on `socket` (just connected, ALPN `h2`) until it closes. */
export class Http2HealthCheck {
  readonly #socket: Socket;
  readonly #options: Http2HealthCheckOptions;
  readonly #timer: NodeJS.Timeout;
  #session: PingableSession | undefined;
  #bytesRead: number;
  #lastReadAt = performance.now();
  #pingTimer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, options: Http2HealthCheckOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#bytesRead = socket.bytesRead;
    (socket as unknown as Record<symbol, unknown>)[kHealthCheck] = this;
    if (awaitingSession.size === 0) subscribe(STREAM_CREATED, onStreamCreated);
    awaitingSession.add(this);
    // Look every second (or at half the idle time, when shorter): the ping goes out at most a
    // second after readIdleTimeoutMs, as Go's timer does at it, so a dead connection is closed
    // within client-go's bound (30 s + 15 s). Half the idle time (15 s) let it reach 60 s.
    this.#timer = setInterval(() => this.#tick(), healthCheckTickMs(options.readIdleTimeoutMs)).unref();
    socket.once('close', () => this.#stop());
  }

  /** Called with the session once its first stream is created. */
  attach(session: PingableSession): void {
    this.#session ??= session;
    settle(this);
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
    this.#ping(this.#session);
  }

  #ping(session: PingableSession): void {
    if (session.closed || session.destroyed) return;
    try {
      session.ping((error) => {
        if (error) return; // the session is going away on its own
        clearTimeout(this.#pingTimer);
        this.#pingTimer = undefined;
        this.#lastReadAt = performance.now();
      });
    } catch {
      return; // closed meanwhile
    }
    this.#pingTimer = setTimeout(() => this.#socket.destroy(http2ConnectionLost(this.#options)), this.#options.pingTimeoutMs).unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#pingTimer);
    settle(this);
  }
}

/** How often a connection's health check looks at its bytes read. */
export function healthCheckTickMs(readIdleTimeoutMs: number): number {
  return Math.max(50, Math.min(1000, readIdleTimeoutMs / 2));
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

import type { Agent, ClientRequest, ClientRequestArgs, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { CONNECT_TIMEOUT, dial, type DialOptions, originAddress } from './dial.ts';
import { Http2HealthCheck } from './http2-health-check.ts';
import type { Http2Settings } from './http2-settings.ts';
import { onStreamFailure } from './http2-stream-failure.ts';
import { http, http2 } from './http-layer.ts';
import { refusedAtHandshake, watchForRefusedHandshake } from './refused-handshake.ts';
import { noteClosedAfterHandshake } from '../errors/network-error.ts';
import { checkedEnd, collectBody } from './response-body.ts';
import { headerValue, type ResponseHeaders } from './response-headers.ts';

/*
 * The connections of one client (one per TLS identity): Node's node:http agent for HTTP/1.1 and
 * node:http2 sessions for HTTP/2, over connections kgo dials itself (dial.ts: TCP keep-alive,
 * proxy tunnels, TLS). As in Go's transport, the first connection to an https origin offers h2
 * and http/1.1 in ALPN and the server's choice is remembered: HTTP/2 origins get one session,
 * and another once the server's limit of concurrent streams is reached (every open watch holds a
 * stream); HTTP/1.1 origins get a keep-alive pool with no cap on connections (every open watch
 * holds one, and a cap would queue calls behind an informer's watches). Idle connections close
 * after `idleTimeoutMs` and never keep the process alive.
 */

/** One request, as the transport hands it to the pool. */
export interface PoolRequest {
  url: URL;
  method: string;
  /** Names lower case; a repeated header as an array (impersonated groups). */
  headers: Record<string, string | string[]>;
  body: Uint8Array | string | undefined;
  signal: AbortSignal | undefined;
  /** Collect the whole body as it arrives ({@link PoolResponse.bytes}) instead of handing it on as a stream. */
  buffer: boolean;
}

/** The answer: status, headers (names lower case, a repeated header as an array) and the body as it arrives. */
export interface PoolResponse {
  statusCode: number;
  headers: ResponseHeaders;
  body: Readable;
  /** The whole body as sent (Content-Encoding not undone), when the request asked to buffer it. */
  bytes: Promise<Uint8Array> | undefined;
}

/** How a pool connects and keeps its connections. */
export interface PoolOptions {
  dial: DialOptions;
  http2: Http2Settings;
  /** Whether connections present a client certificate (watched for a refused handshake). */
  clientCertificate: boolean;
  /** An idle connection is closed after this long. */
  idleTimeoutMs: number;
  /** The health check's deadline for the ping after a failed stream (tests shorten it; else STREAM_FAILURE_PING_TIMEOUT_MS). */
  streamFailurePingTimeoutMs?: number | undefined;
}

// A session is used only once the server's SETTINGS arrived; one without a stream limit gets Go's default.
const DEFAULT_MAX_CONCURRENT_STREAMS = 100;
// nghttp2 counts buffered frames against this (MB); many watches and big lists at once exceed Node's 10.
const MAX_SESSION_MEMORY_MB = 64;
// Headers HTTP/2 forbids (RFC 9113 §8.2.2); Node refuses a request that has one.
const CONNECTION_HEADERS = new Set(['connection', 'host', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
// nghttp2's RST_STREAM codes: a stream closed without error, one the server did not process (a GOAWAY's unprocessed streams).
const NO_ERROR = 0;
const REFUSED_STREAM = 7;

/** One HTTP/2 connection and the streams open on it. */
interface Http2Connection {
  session: ClientHttp2Session;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** Undefined when the health check is off (readIdleTimeoutMs 0). */
  health: Http2HealthCheck | undefined;
}

/** What the pool knows of one https origin when HTTP/2 is on. */
interface OriginState {
  /** The server's ALPN choice, once a connection was made. */
  protocol: 'h2' | 'http/1.1' | undefined;
  connections: Http2Connection[];
  dialing: Promise<void> | undefined;
  /** Connections made while finding out that the server speaks HTTP/1.1, for the agent to use. */
  spare: Socket[];
}

/** Connection pool for one client and one TLS identity. */
export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #origins = new Map<string, OriginState>();
  readonly #agents = new Map<string, Agent>();
  #closed = false;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Sends `request`; resolves with the response once its headers arrived. */
  async request(request: PoolRequest): Promise<PoolResponse> {
    if (this.#closed) throw Object.assign(new Error('the client was closed'), { code: 'ERR_CLIENT_CLOSED' });
    if (request.url.protocol === 'https:' && this.#options.http2.enabled) {
      const connection = await this.#http2Connection(request.url, request.signal);
      if (connection) return this.#sendHttp2(connection, request, false);
    }
    return this.#sendHttp1(request);
  }

  /** Closes every connection; requests in flight fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const state of this.#origins.values()) {
      for (const connection of state.connections) {
        clearTimeout(connection.idleTimer);
        connection.session.destroy();
      }
      for (const socket of state.spare) socket.destroy();
    }
    this.#origins.clear();
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  // --- HTTP/2 ---

  /**
   * An HTTP/2 connection to the origin with room for one more stream, that stream reserved
   * ({@link ConnectionPool.#sendHttp2} sends on it or gives it back), or undefined when the server
   * speaks HTTP/1.1.
   */
  async #http2Connection(url: URL, signal: AbortSignal | undefined): Promise<Http2Connection | undefined> {
    const key = url.origin;
    let state = this.#origins.get(key);
    if (!state) {
      state = { protocol: undefined, connections: [], dialing: undefined, spare: [] };
      this.#origins.set(key, state);
    }
    for (let dials = 0; ; dials++) {
      if (state.protocol === 'http/1.1') return undefined;
      const open = state.connections.filter((connection) => usable(connection.session));
      const roomy = open.find((connection) => connection.active < maxStreams(connection));
      if (roomy) return this.#reserve(roomy);
      // After a few dials in a row that all filled up at once, queue on the newest connection (nghttp2 holds the stream).
      const newest = open.at(-1);
      if (newest && dials >= 3) return this.#reserve(newest);
      const origin = state;
      origin.dialing ??= this.#dialHttp2(url, origin).finally(() => {
        origin.dialing = undefined;
      });
      await abortable(origin.dialing, signal);
    }
  }

  async #dialHttp2(url: URL, state: OriginState): Promise<void> {
    const socket = await dial(new URL(url.origin), this.#options.dial, ['h2', 'http/1.1']);
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#watch(socket);
    if ((socket as TLSSocket).alpnProtocol !== 'h2') {
      state.protocol = 'http/1.1';
      socket.on('error', () => {}).once('close', () => remove(state.spare, socket));
      state.spare.push(socket);
      return;
    }
    state.protocol = 'h2';
    const session = http2.connect(url.origin, {
      createConnection: () => socket,
      maxSessionMemory: MAX_SESSION_MEMORY_MB,
      settings: { enablePush: false },
    });
    const connection: Http2Connection = { session, active: 0, idleTimer: undefined, health: undefined };
    // Errors reach the streams; the session only has to leave the pool. The first one is kept for a
    // session that fails before it is used (a TLS alert after the handshake, a reset).
    let sessionError: Error | undefined;
    session.on('error', (error: Error) => {
      sessionError ??= error;
    });
    // A TLS alert that arrives after the handshake (TLS 1.3: a certificate the server requires or
    // refuses) is reported on the socket, and the session would wait for its settings for ever.
    // (Node destroys the session then, but emits neither its 'error' nor its 'close'.)
    let onSocketError: ((error: Error) => void) | undefined;
    socket.on('error', (error: Error) => {
      sessionError ??= error;
      if (!session.destroyed) session.destroy(error);
      socket.destroy();
      onSocketError?.(error);
    });
    // The server's first frame is its SETTINGS: wait for it, so that its limit of concurrent streams
    // is known before streams are opened (streams over it are refused).
    await new Promise<void>((resolve, reject) => {
      const settled = () => {
        session.off('remoteSettings', onSettings).off('close', onClose);
        onSocketError = undefined;
        clearTimeout(timer);
      };
      onSocketError = (error) => {
        settled();
        reject(error);
      };
      const onSettings = () => {
        settled();
        resolve();
      };
      const onClose = () => {
        settled();
        if (sessionError) return reject(sessionError);
        // Closed cleanly before a single frame: where a TLS 1.3 server that refused the client certificate shows.
        const error = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
        if (refusedAtHandshake(socket, true)) noteClosedAfterHandshake(error);
        reject(error);
      };
      const timer = setTimeout(() => {
        settled();
        session.destroy();
        reject(Object.assign(new Error(`the server at ${url.host} sent no HTTP/2 settings within ${this.#options.dial.connectTimeoutMs / 1000} s`), { code: CONNECT_TIMEOUT }));
      }, this.#options.dial.connectTimeoutMs);
      session.once('remoteSettings', onSettings).once('close', onClose);
    });
    const drop = () => {
      clearTimeout(connection.idleTimer);
      remove(state.connections, connection);
    };
    session.once('goaway', drop).once('close', drop);
    const health = this.#options.http2;
    if (health.readIdleTimeoutMs > 0) {
      connection.health = new Http2HealthCheck(socket, { ...health, streamFailurePingTimeoutMs: this.#options.streamFailurePingTimeoutMs });
      connection.health.attach(session);
    }
    state.connections.push(connection);
    this.#idle(connection);
  }

  #sendHttp2(connection: Http2Connection, request: PoolRequest, replayed: boolean): Promise<PoolResponse> {
    const { url, body } = request;
    const headers: OutgoingHttpHeaders = { ':method': request.method, ':path': `${url.pathname}${url.search}`, ':authority': url.host };
    for (const [name, value] of Object.entries(request.headers)) if (!CONNECTION_HEADERS.has(name)) headers[name] = value;
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const { session } = connection;
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream: body === undefined, ...(request.signal ? { signal: request.signal } : {}) });
    } catch (error) {
      this.#streamClosed(connection);
      throw error;
    }
    stream.once('close', () => this.#streamClosed(connection));
    // Errors reach the caller through the promise below, then through the body's reader; a body
    // nobody reads (a 204, a HEAD, an answer whose reader stopped) may still fail when its signal
    // aborts, and must not take the process down as an unhandled 'error'.
    stream.on('error', ignore);
    onStreamFailure(stream, session, request.signal, () => connection.health?.streamFailed());
    if (body !== undefined) stream.end(body);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        stream.off('response', onResponse);
        // A stream the server refused unprocessed (as after a GOAWAY) is safe to send again, on
        // another connection, once: Go's transport does the same.
        if (!replayed && stream.rstCode === REFUSED_STREAM) resolve(this.#resend(request));
        else reject(error);
      };
      // Closed with no error and no response: the server closed the connection cleanly (a reset
      // or a broken frame comes as an error). A refused handshake shows before SETTINGS, in #dialHttp2.
      const onClose = () => fail(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }));
      const onResponse = (head: { ':status'?: number }, _: unknown, raw: string[]) => {
        if (settled) return;
        settled = true;
        stream.off('error', fail).off('close', onClose);
        // From here the body reports its own errors.
        const headers = headersFromRaw(raw);
        // Only END_STREAM (or RST_STREAM NO_ERROR) leaves rstCode 0: Node ends the streams of a
        // connection that closed (a TCP FIN) too, with the session's code (CANCEL).
        const intact = () => stream.rstCode === NO_ERROR;
        const bytes = request.buffer ? collectBody(stream, headerValue(headers, 'content-length'), intact, intact) : undefined;
        bytes?.catch(() => {});
        resolve({ statusCode: head[':status'] ?? 0, headers, body: request.buffer ? stream : checkedEnd(stream, intact), bytes });
      };
      stream.once('response', onResponse).once('error', fail).once('close', onClose);
    });
  }

  /** Sends a refused request again, on a connection that can take it. */
  async #resend(request: PoolRequest): Promise<PoolResponse> {
    const connection = await this.#http2Connection(request.url, request.signal);
    return connection ? this.#sendHttp2(connection, request, true) : this.#sendHttp1(request);
  }

  /**
   * Takes one stream of `connection`'s capacity for a request about to be sent, in the same tick
   * as the choice (callers that waited for one dial all resume before any of them sends).
   */
  #reserve(connection: Http2Connection): Http2Connection {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = undefined;
    if (connection.active++ === 0) connection.session.ref();
    return connection;
  }

  #streamClosed(connection: Http2Connection): void {
    if (--connection.active === 0) this.#idle(connection);
  }

  /** An idle HTTP/2 connection lets the process exit, and closes after idleTimeoutMs. */
  #idle(connection: Http2Connection): void {
    const { session } = connection;
    if (session.closed || session.destroyed) return;
    session.unref();
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => session.close(), this.#options.idleTimeoutMs).unref();
  }

  // --- HTTP/1.1 ---

  #sendHttp1(request: PoolRequest): Promise<PoolResponse> {
    const { url, body } = request;
    const agent = this.#agent(url);
    const headers: OutgoingHttpHeaders = { ...request.headers, host: url.host };
    // node:http sends a DELETE's body with neither a length nor chunked framing: the server reads no body.
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const options: ClientRequestArgs = {
      agent,
      ...originAddress(url),
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(request.signal ? { signal: request.signal } : {}),
    };
    return new Promise((resolve, reject) => {
      let clientRequest: ClientRequest;
      try {
        clientRequest = http.request(options);
      } catch (error) {
        reject(error as Error);
        return;
      }
      let response: IncomingMessage | undefined;
      // Node reports a connection that failed under a response body as an "aborted" reset; the
      // socket's own error (ETIMEDOUT from keep-alive probes, a TLS error) says more.
      clientRequest.on('error', (error) => {
        if (response) {
          response.destroy(error);
          return;
        }
        if (refusedAtHandshake(clientRequest.socket)) noteClosedAfterHandshake(error);
        reject(error);
      });
      clientRequest.once('response', (message: IncomingMessage) => {
        response = message;
        // As for an HTTP/2 stream: a body nobody reads may still fail, unhandled by no one.
        message.on('error', ignore);
        const headers = headersFromRaw(message.rawHeaders);
        // node:http reports a body cut short as an error ("aborted"), never as a clean close.
        const bytes = request.buffer ? collectBody(message, headerValue(headers, 'content-length'), () => false) : undefined;
        bytes?.catch(() => {});
        resolve({ statusCode: message.statusCode ?? 0, headers, body: message, bytes });
      });
      clientRequest.end(body);
    });
  }

  /** The keep-alive agent for an origin's scheme: its connections come from {@link dial}. */
  #agent(url: URL): Agent {
    const scheme = url.protocol;
    let agent = this.#agents.get(scheme);
    if (agent) return agent;
    const { dial: dialOptions, idleTimeoutMs } = this.#options;
    agent = new http.Agent({ keepAlive: true, keepAliveMsecs: dialOptions.keepAliveInitialDelayMs, scheduling: 'lifo' });
    // Node's Agent returns whether it kept the socket (its types say void).
    const keepSocketAlive = agent.keepSocketAlive.bind(agent) as unknown as (socket: Socket) => boolean;
    const reuseSocket = agent.reuseSocket.bind(agent);
    // A free connection closes after idleTimeoutMs (the agent destroys a free socket that times out);
    // one in use has no timeout: a watch may wait minutes for its next event.
    (agent as unknown as { keepSocketAlive: (socket: Socket) => boolean }).keepSocketAlive = (socket) => {
      const kept = keepSocketAlive(socket);
      if (kept) socket.setTimeout(idleTimeoutMs);
      return kept;
    };
    agent.reuseSocket = (socket, clientRequest) => {
      (socket as Socket).setTimeout(0);
      reuseSocket(socket, clientRequest);
    };
    const origin = (options: ClientRequestArgs) => new URL(`${scheme}//${options.host?.includes(':') ? `[${options.host}]` : options.host}:${options.port}`);
    const create = (options: ClientRequestArgs, callback: (error: Error | null, socket?: Socket) => void): Socket | undefined => {
      const target = origin(options);
      const spare = this.#origins.get(target.origin)?.spare.pop();
      if (spare && !spare.destroyed) return spare;
      dial(target, dialOptions, ['http/1.1']).then(
        (socket) => {
          this.#watch(socket);
          callback(null, socket);
        },
        (error: Error) => callback(error),
      );
      return undefined;
    };
    (agent as unknown as { createConnection: typeof create }).createConnection = create;
    this.#agents.set(scheme, agent);
    return agent;
  }

  #watch(socket: Socket): void {
    if (this.#options.clientCertificate) watchForRefusedHandshake(socket as TLSSocket);
  }
}

/** An 'error' listener for emitters whose errors reach their callers another way. */
function ignore(): void {}

function usable(session: ClientHttp2Session): boolean {
  return !session.closed && !session.destroyed;
}

function maxStreams(connection: Http2Connection): number {
  return connection.session.remoteSettings.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS;
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

/** Waits for `promise`, or rejects with the signal's reason when it aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** A header record from Node's raw [name, value, …] list: names lower case, a repeated header as an array, no pseudo-headers. */
function headersFromRaw(raw: string[]): ResponseHeaders {
  const headers: ResponseHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name.startsWith(':')) continue;
    const value = raw[i + 1] as string;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}

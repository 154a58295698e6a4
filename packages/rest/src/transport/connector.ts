import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { noteClosedAfterHandshake } from '../errors/network-error.ts';
import { Http2HealthCheck } from './http2-health-check.ts';
import type { Http2Settings } from './http2-settings.ts';

/** What {@link watchedConnector} watches each new connection for. */
export interface ConnectionWatch {
  /** HTTP/2 health check settings; a `readIdleTimeoutMs` of 0 turns it off. */
  http2: Http2Settings;
  /** Whether the connections present a client certificate (for the error message when the server hangs up). */
  clientCertificate: boolean;
}

/**
 * Wraps an undici connector so that every connection it makes is watched: an HTTP/2 one gets a
 * health check ({@link Http2HealthCheck}); a TLS 1.3 one that presented a client certificate and
 * that the server closes before sending a single byte is reported as closed during or right after
 * the handshake (where a rejected client certificate shows: TLS 1.3 clients finish their side of
 * the handshake before the server checks their certificate, so the refusal arrives as a closed
 * connection).
 */
export function watchedConnector(connect: buildConnector.connector, watch: ConnectionWatch): buildConnector.connector {
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (socket) watchConnection(socket, watch);
      (callback as (error: Error | null, socket: Socket | TLSSocket | null) => void)(error, socket);
    });
}

function watchConnection(socket: Socket | TLSSocket, watch: ConnectionWatch): void {
  const tls = socket as TLSSocket;
  if (tls.alpnProtocol === 'h2' && watch.http2.readIdleTimeoutMs > 0) new Http2HealthCheck(socket, watch.http2);
  if (typeof tls.getProtocol !== 'function' || tls.getProtocol() !== 'TLSv1.3') return;
  // Without a certificate to refuse, a server that wants one says so with an alert
  // (certificate_required); a bare close is a lost connection, retried like one. Some servers
  // (Node's) send their session tickets only with their first bytes of HTTP, so "no ticket yet"
  // alone cannot tell a refusal from a server that dropped the connection after reading the request.
  if (!watch.clientCertificate) return;
  // A TLS 1.3 server sends session tickets once it has accepted the handshake (OpenSSL, Go and
  // Node servers all do by default): a connection that ends with no ticket and no byte of HTTP
  // was refused at the handshake, not lost in the middle of a call.
  let accepted = false;
  tls.once('session', () => {
    accepted = true;
  });
  socket.on('error', (error) => {
    if (!accepted && socket.bytesRead === 0) noteClosedAfterHandshake(error);
  });
}

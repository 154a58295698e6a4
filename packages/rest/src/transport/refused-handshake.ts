import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/*
 * A TLS 1.3 client finishes its side of the handshake before the server checks its certificate,
 * so a server that rejects the certificate without an alert shows up as a connection it closes
 * right after the handshake. The pool watches every connection that presented a client
 * certificate, and asks {@link refusedAtHandshake} when one ends a request.
 */

interface HandshakeState {
  /** A session ticket arrived: the server accepted the handshake. */
  accepted: boolean;
  /** The server closed the connection cleanly (FIN). */
  ended: boolean;
}

const watched = new WeakMap<Socket, HandshakeState>();

/** Starts watching a TLS connection that presented a client certificate (TLS 1.3 only). */
export function watchForRefusedHandshake(socket: TLSSocket): void {
  if (typeof socket.getProtocol !== 'function' || socket.getProtocol() !== 'TLSv1.3') return;
  const state: HandshakeState = { accepted: false, ended: false };
  watched.set(socket, state);
  // A TLS 1.3 server sends session tickets once it has accepted the handshake (OpenSSL, Go and
  // Node servers all do by default). Some (Node's) send them only with their first bytes of HTTP,
  // which is why the bytes read count too.
  socket.once('session', () => {
    state.accepted = true;
  });
  socket.once('end', () => {
    state.ended = true;
  });
}

/**
 * Whether the server closed `socket` cleanly before accepting the handshake and before sending a
 * single byte: how a refused client certificate shows. A reset (RST) is not counted: it is what a
 * proxy or load balancer dropping a connection looks like, and is retried like one.
 * `closedCleanly` is for connections whose end the caller saw itself (HTTP/2 sessions read their
 * socket directly, so the socket's own `end` event may not fire).
 */
export function refusedAtHandshake(socket: Socket | null | undefined, closedCleanly?: boolean): boolean {
  const state = socket ? watched.get(socket) : undefined;
  if (!socket || !state) return false;
  return (closedCleanly ?? state.ended) && !state.accepted && socket.bytesRead === 0;
}

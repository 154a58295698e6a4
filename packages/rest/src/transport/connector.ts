import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { Http2HealthCheck } from './http2-health-check.ts';
import type { Http2Settings } from './http2-settings.ts';

/** What {@link watchedConnector} watches each new connection for. */
export interface ConnectionWatch {
  /** HTTP/2 health check settings; a `readIdleTimeoutMs` of 0 turns it off. */
  http2: Http2Settings;
}

/** Wraps an undici connector so that every connection it makes is watched: an HTTP/2 one gets a health check ({@link Http2HealthCheck}). */
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
}

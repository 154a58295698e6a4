import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { net, tls } from './http-layer.ts';
import { openTunnel } from './proxy-tunnel.ts';

/*
 * Opening one connection to the API server, as client-go's dialer does: TCP (directly or through
 * a proxy's tunnel) with keep-alive probes, then TLS with the config's CA, client certificate and
 * server name, offering HTTP/2 and HTTP/1.1 in ALPN (the server picks).
 */

/** TLS material and checks for the connections of one pool. */
export interface DialTls {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  /** The name sent in SNI and verified in the server's certificate (else the URL's host). */
  servername?: string | undefined;
  rejectUnauthorized: boolean;
}

/** How a pool opens its connections. */
export interface DialOptions {
  tls: DialTls;
  proxy: URL | undefined;
  /** TCP keep-alive: probes start after this long without a byte. */
  keepAliveInitialDelayMs: number;
  /** Gives up on a connection (TCP, proxy and TLS handshake) that is not up after this long. */
  connectTimeoutMs: number;
}

/** The `code` of a connection that was not up within {@link DialOptions.connectTimeoutMs}. */
export const CONNECT_TIMEOUT = 'connect-timeout';

/** Host and port of an `http(s)://` origin (an IPv6 host without its brackets). */
export function originAddress(origin: URL): { host: string; port: number } {
  return { host: origin.hostname.replace(/^\[|\]$/g, ''), port: Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80) };
}

/**
 * Opens a connection to `origin`, resolved once it can carry HTTP: TCP connected, and for https
 * the TLS handshake done (`alpnProtocol` says what the server chose of `alpn`).
 */
export function dial(origin: URL, options: DialOptions, alpn: string[]): Promise<Socket> {
  const { host, port } = originAddress(origin);
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`connecting to ${origin.host} did not complete within ${options.connectTimeoutMs / 1000} s`), { code: CONNECT_TIMEOUT });
      socket?.destroy(error);
      reject(error);
    }, options.connectTimeoutMs);
  });
  const connecting = (async () => {
    const tcp = options.proxy
      ? await openTunnel(options.proxy, { host, port }, { keepAliveInitialDelayMs: options.keepAliveInitialDelayMs })
      : await tcpConnect(host, port, options.keepAliveInitialDelayMs, (s) => (socket = s));
    socket = tcp;
    if (origin.protocol !== 'https:') return tcp;
    return tlsConnect(tcp, host, options.tls, alpn, (s) => (socket = s));
  })();
  return Promise.race([connecting, timeout]).finally(() => clearTimeout(timer));
}

function tcpConnect(host: string, port: number, keepAliveInitialDelay: number, onSocket: (socket: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay });
    onSocket(socket);
    socket.once('error', reject).once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function tlsConnect(tcp: Socket, host: string, options: DialTls, alpn: string[], onSocket: (socket: Socket) => void): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const servername = options.servername ?? host;
    const socket = tls.connect({
      socket: tcp,
      // The name checked in the certificate; SNI carries names only, never an IP address (RFC 6066).
      host: servername,
      ...(net.isIP(servername) ? {} : { servername }),
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.cert && options.key ? { cert: options.cert, key: options.key } : {}),
      rejectUnauthorized: options.rejectUnauthorized,
      ALPNProtocols: alpn,
    });
    onSocket(socket);
    const fail = (error: Error) => {
      tcp.destroy();
      reject(error);
    };
    socket.once('error', fail).once('secureConnect', () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

import type { Socket } from 'node:net';
import { redactUrl } from '../utils/redact-url.ts';
import { net, tls } from './http-layer.ts';

/*
 * A TCP tunnel to the API server through a proxy, as client-go's dialer makes one: an HTTP CONNECT
 * (over plain TCP or TLS to the proxy) or a SOCKS5 CONNECT (RFC 1928, with RFC 1929 user name and
 * password when the URL has them). The caller speaks TLS to the API server inside the tunnel.
 */

/** Where to go through the proxy. */
export interface TunnelTarget {
  host: string;
  port: number;
}

/** How to reach the proxy itself. */
export interface TunnelOptions {
  /** TCP keep-alive on the connection to the proxy: it is the connection that can go silent. */
  keepAliveInitialDelayMs: number;
}

/** The `code` of an error from a proxy that refused or broke the tunnel. */
export const PROXY_TUNNEL_FAILED = 'proxy-tunnel-failed';

/** Opens a tunnel through `proxy` (http, https or socks5) to `target`. */
export async function openTunnel(proxy: URL, target: TunnelTarget, options: TunnelOptions): Promise<Socket> {
  const socket = await connectToProxy(proxy, options);
  try {
    if (proxy.protocol === 'socks5:') await socks5Connect(socket, proxy, target);
    else await httpConnect(socket, proxy, target);
    return socket;
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

function connectToProxy(proxy: URL, options: TunnelOptions): Promise<Socket> {
  const host = proxy.hostname.replace(/^\[|\]$/g, '');
  const defaultPort = proxy.protocol === 'https:' ? 443 : proxy.protocol === 'socks5:' ? 1080 : 80;
  const port = Number(proxy.port) || defaultPort;
  return new Promise((resolve, reject) => {
    const tcp = net.connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: options.keepAliveInitialDelayMs });
    const fail = (error: Error) => reject(error);
    if (proxy.protocol !== 'https:') {
      tcp.once('error', fail).once('connect', () => {
        tcp.off('error', fail);
        resolve(tcp);
      });
      return;
    }
    // An https:// proxy: TLS to the proxy, verified against the system's CAs (the kubeconfig's CA is the API server's).
    const secure = tls.connect({ socket: tcp, host, ...(net.isIP(host) ? {} : { servername: host }) });
    secure.once('error', fail).once('secureConnect', () => {
      secure.off('error', fail);
      resolve(secure);
    });
  });
}

/**
 * Reads from `socket` until `complete` says how many bytes make the answer; returns them and
 * pushes back the rest. Reads in paused mode ('readable'), so that once the listener is gone the
 * socket is back in its initial state: whoever takes the tunnel next starts it by listening.
 */
function readAnswer(socket: Socket, complete: (bytes: Buffer) => number | undefined, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const cleanup = () => {
      socket.off('readable', onReadable).off('error', onError).off('end', onEnd);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        received = Buffer.concat([received, chunk]);
        let length: number | undefined;
        try {
          length = complete(received);
        } catch (error) {
          cleanup();
          reject(error as Error);
          return;
        }
        if (length === undefined) continue;
        cleanup();
        if (received.length > length) socket.unshift(received.subarray(length));
        resolve(received.subarray(0, length));
        return;
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => {
      cleanup();
      reject(tunnelError(`the proxy closed the connection before answering the ${what}`));
    };
    socket.on('readable', onReadable).on('error', onError).on('end', onEnd);
  });
}

function tunnelError(message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code: PROXY_TUNNEL_FAILED });
}

async function httpConnect(socket: Socket, proxy: URL, target: TunnelTarget): Promise<void> {
  const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  let request = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    request += `Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n`;
  }
  socket.write(`${request}\r\n`);
  const head = await readAnswer(
    socket,
    (bytes) => {
      const end = bytes.indexOf('\r\n\r\n');
      if (end >= 0) return end + 4;
      if (bytes.length > 64 * 1024) throw tunnelError(`the proxy ${redactUrl(proxy.href)} sent more than 64 KiB of headers in answer to CONNECT`);
      return undefined;
    },
    'CONNECT request',
  );
  const statusLine = head.toString('latin1').split('\r\n', 1)[0] ?? '';
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (status >= 200 && status < 300) return;
  const hint = status === 407 ? ': the proxy wants credentials (user:password@ in proxyUrl)' : '';
  throw tunnelError(`the proxy ${redactUrl(proxy.href)} refused to CONNECT to ${authority}: ${JSON.stringify(statusLine)}${hint}`);
}

const SOCKS_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

async function socks5Connect(socket: Socket, proxy: URL, target: TunnelTarget): Promise<void> {
  const where = redactUrl(proxy.href);
  const username = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  const withPassword = username !== '' || password !== '';
  // Greeting: version 5, the methods offered (0: none, 2: user name and password).
  socket.write(Buffer.from(withPassword ? [5, 2, 0, 2] : [5, 1, 0]));
  const [, method] = await readAnswer(socket, (bytes) => (bytes.length >= 2 ? 2 : undefined), 'SOCKS5 greeting');
  if (method === 2 && withPassword) {
    const user = Buffer.from(username);
    const pass = Buffer.from(password);
    if (user.length > 255 || pass.length > 255) throw tunnelError(`the SOCKS5 user name and password of ${where} must be at most 255 bytes each`);
    socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
    const [, status] = await readAnswer(socket, (bytes) => (bytes.length >= 2 ? 2 : undefined), 'SOCKS5 authentication');
    if (status !== 0) throw tunnelError(`the SOCKS5 proxy ${where} refused the user name and password in proxyUrl`);
  } else if (method !== 0) {
    throw tunnelError(`the SOCKS5 proxy ${where} accepts none of the methods kgo offered${withPassword ? '' : ' (it may want a user name and password in proxyUrl)'}`);
  }
  const family = net.isIP(target.host);
  let address: Buffer;
  if (family === 4) address = Buffer.from([1, ...target.host.split('.').map(Number)]);
  else if (family === 6) address = Buffer.concat([Buffer.from([4]), ipv6Bytes(target.host)]);
  else address = Buffer.concat([Buffer.from([3, Buffer.byteLength(target.host)]), Buffer.from(target.host)]);
  const port = Buffer.alloc(2);
  port.writeUInt16BE(target.port);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0]), address, port]));
  const reply = await readAnswer(socket, socksReplyLength, 'SOCKS5 CONNECT');
  const code = reply[1] ?? 1;
  if (code !== 0) {
    throw tunnelError(`the SOCKS5 proxy ${where} could not connect to ${target.host}:${target.port}: ${SOCKS_REPLIES[code] ?? `reply ${code}`}`);
  }
}

/** The length of a SOCKS5 reply (version, reply, reserved, a typed address, a port), once it can be known. */
function socksReplyLength(bytes: Buffer): number | undefined {
  if (bytes.length < 5) return undefined;
  const type = bytes[3];
  const addressLength = type === 1 ? 4 : type === 4 ? 16 : type === 3 ? 1 + (bytes[4] ?? 0) : -1;
  if (addressLength < 0) throw tunnelError(`the SOCKS5 proxy answered with an unknown address type ${String(type)}`);
  const length = 4 + addressLength + 2;
  return bytes.length >= length ? length : undefined;
}

function ipv6Bytes(host: string): Buffer {
  const [head = '', tail] = host.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const middle = new Array<string>(8 - left.length - right.length).fill('0');
  const bytes = Buffer.alloc(16);
  [...left, ...(tail === undefined ? [] : middle), ...right].forEach((group, index) => bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2));
  return bytes;
}

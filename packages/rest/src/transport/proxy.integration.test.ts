import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';

/*
 * Proxies between kgo and the real API server: an HTTP CONNECT proxy and a SOCKS5 proxy, each a
 * few lines on loopback that record what they tunnelled. TLS (CA, client certificate) runs end to
 * end through the tunnel.
 */

const cluster = testCluster();
const target = new URL(cluster.server);
const baseConfig = (proxyUrl: string): RestConfig => ({ ...restConfigFor(cluster), proxyUrl });

const tunnelled: string[] = [];

/**
 * Seconds left on the keep-alive timers of the connections to `port` (the kernel's view, from ss).
 * While a segment waits for its ACK, ss shows the retransmission timer instead: look again a few times.
 */
async function keepAliveTimersTo(port: number): Promise<number[]> {
  for (let attempt = 0; ; attempt++) {
    const sockets = execFileSync('ss', ['-tnoH', 'state', 'established', `dport = :${port}`], { encoding: 'utf8' });
    const timers = [...sockets.matchAll(/timer:\(keepalive,(\d+)(sec|ms)/g)].map(([, n, unit]) => Number(n) / (unit === 'ms' ? 1000 : 1));
    if (timers.length > 0 || attempt === 20) return timers;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
let httpProxy: HttpServer;
let socksProxy: Server;

function pipeTo(client: Socket, host: string, port: number, onOpen: () => void, head?: Buffer): void {
  const upstream = connect(port, host, () => {
    onOpen();
    if (head && head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
}

/** A SOCKS5 server: no authentication, CONNECT only, IPv4/IPv6/domain addresses. */
function socks5(client: Socket): void {
  let buffer = Buffer.alloc(0);
  let stage: 'greeting' | 'request' = 'greeting';
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (stage === 'greeting') {
      if (buffer.length < 2 || buffer.length < 2 + (buffer[1] ?? 0)) return;
      buffer = buffer.subarray(2 + (buffer[1] ?? 0));
      client.write(Buffer.from([5, 0]));
      stage = 'request';
    }
    if (buffer.length < 5) return;
    const type = buffer[3];
    const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + (buffer[4] ?? 0);
    if (buffer.length < 4 + addressLength + 2) return;
    const raw = buffer.subarray(4, 4 + addressLength);
    const host = type === 1 ? [...raw].join('.') : type === 4 ? (raw.toString('hex').match(/.{4}/g) ?? []).join(':') : raw.subarray(1).toString();
    const port = buffer.readUInt16BE(4 + addressLength);
    const rest = buffer.subarray(4 + addressLength + 2);
    client.off('data', onData);
    tunnelled.push(`socks5 ${host}:${port}`);
    pipeTo(client, host, port, () => client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0])), rest);
  };
  client.on('data', onData);
}

beforeAll(async () => {
  httpProxy = createHttpServer();
  httpProxy.on('connect', (request, client: Socket, head: Buffer) => {
    const [host = '', port = '443'] = (request.url ?? '').split(/:(?=\d+$)/);
    tunnelled.push(`connect ${request.url}`);
    pipeTo(client, host.replace(/^\[|\]$/g, ''), Number(port), () => client.write('HTTP/1.1 200 Connection Established\r\n\r\n'), head);
  });
  socksProxy = createServer(socks5);
  await Promise.all([
    new Promise<void>((resolve) => httpProxy.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => socksProxy.listen(0, '127.0.0.1', resolve)),
  ]);
});
afterAll(async () => {
  httpProxy.closeAllConnections();
  await Promise.all([new Promise((resolve) => httpProxy.close(resolve)), new Promise((resolve) => socksProxy.close(resolve))]);
});

describe('proxies', () => {
  it('tunnels through an HTTP CONNECT proxy, with TLS end to end', async () => {
    const port = (httpProxy.address() as AddressInfo).port;
    const client = new RestClient(baseConfig(`http://127.0.0.1:${port}`));
    const version = (await client.get().absPath('/version').do()).into<{ gitVersion: string }>();
    expect(version.gitVersion).toMatch(/^v1\./);
    expect(tunnelled).toContain(`connect ${target.host}`);
    // The connection to the proxy is the one that can go silent: TCP keep-alive after 30 s idle (undici's default: 60 s).
    const timers = await keepAliveTimersTo(port);
    expect(timers.length).toBeGreaterThanOrEqual(1);
    for (const left of timers) expect(left).toBeLessThanOrEqual(30);
    await client.close();
  });

  it('tunnels through a SOCKS5 proxy', async () => {
    const port = (socksProxy.address() as AddressInfo).port;
    const client = new RestClient(baseConfig(`socks5://127.0.0.1:${port}`));
    const version = (await client.get().absPath('/version').do()).into<{ gitVersion: string }>();
    expect(version.gitVersion).toMatch(/^v1\./);
    expect(tunnelled).toContain(`socks5 ${target.hostname}:${target.port}`);
    const timers = await keepAliveTimersTo(port);
    expect(timers.length).toBeGreaterThanOrEqual(1);
    for (const left of timers) expect(left).toBeLessThanOrEqual(30);
    await client.close();
  });

  it('refuses a proxy URL it cannot use when the client is made, without echoing credentials', () => {
    expect(() => new RestClient(baseConfig('ftp://user:secret@proxy:21'))).toThrow('proxyUrl "ftp://***@proxy:21" has an unsupported scheme: use http, https or socks5');
    // Without "//", what looks like a scheme may be a user name (a token): it is not printed either.
    expect(() => new RestClient(baseConfig('user:secret'))).toThrow('proxyUrl "***" has an unsupported scheme: use http, https or socks5');
    expect(() => new RestClient(baseConfig('http//user:secret@'))).toThrow('proxyUrl "http//***@" is not a URL');
  });
});

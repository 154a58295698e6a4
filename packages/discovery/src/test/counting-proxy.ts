import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request that passed through a {@link CountingProxy}. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent (`/apis/apps/v1?timeout=32s`). */
  url: string;
  /** The path alone. */
  path: string;
  accept: string;
  status: number;
  contentType: string;
}

/** What {@link startCountingProxy} needs to reach the real server. */
export interface UpstreamServer {
  /** `https://127.0.0.1:port` */
  server: string;
  /** PEM CA that verifies the server. */
  caCert: string;
  /** Client certificate and key (PEM) the proxy presents: every client of the proxy acts as this user. */
  cert: string;
  key: string;
}

/** A running proxy: clients speak plain HTTP to `url`; every request is recorded. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: use as a RestConfig host or a kubeconfig server (no credentials needed). */
  url: string;
  /** Every request so far, in arrival order. */
  readonly requests: ProxiedRequest[];
  /** Forgets the recorded requests. */
  reset(): void;
  /** Requests whose path matches (discovery ones: `isDiscoveryPath`). */
  count(predicate?: (request: ProxiedRequest) => boolean): number;
  close(): Promise<void>;
}

/**
 * True for discovery paths: `/api`, `/apis`, `/api/<v>`, `/apis/<g>/<v>` (and `/apis/<g>`),
 * not requests for resources.
 */
export function isDiscoveryPath(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api') return parts.length <= 2;
  if (parts[0] === 'apis') return parts.length <= 3;
  return false;
}

/**
 * A loopback HTTP proxy in front of a TLS API server that records every request: the way tests
 * count what a client (kgo or kubectl) really sends. It terminates plain HTTP on 127.0.0.1 and
 * forwards over TLS with the given client certificate.
 */
export async function startCountingProxy(upstream: UpstreamServer): Promise<CountingProxy> {
  const target = new URL(upstream.server);
  const agent = new Agent({ ca: upstream.caCert, cert: upstream.cert, key: upstream.key, keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = incoming.url ?? '/';
    const headers = { ...incoming.headers, host: target.host };
    const forward = httpsRequest(
      { protocol: 'https:', hostname: target.hostname, port: target.port, method: incoming.method, path: url, headers, agent },
      (response) => {
        requests.push({
          method: incoming.method ?? 'GET',
          url,
          path: url.split('?')[0] as string,
          accept: String(incoming.headers.accept ?? ''),
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
        });
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forward.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`counting proxy: ${error.message}`);
    });
    incoming.pipe(forward);
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => void requests.splice(0, requests.length),
    count: (predicate) => (predicate ? requests.filter(predicate).length : requests.length),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

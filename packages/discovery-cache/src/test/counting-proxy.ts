import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '@kgo/envtest';
import type { TestCluster } from '@kgo/envtest';

/** One request as the proxy forwarded it. */
export interface ProxiedRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Path and query. */
  url: string;
  /** `kubectl` (kubectl itself), `dispatcher` (the Cloud SDK kubectl dispatcher's /version probe) or `kgo` (anything else). */
  who: 'kubectl' | 'dispatcher' | 'kgo';
  accept: string;
  ifNoneMatch: string | undefined;
  /** The status the server answered. */
  status: number;
}

/** Paths that are discovery: the group lists and the per-group-version resource lists. */
export const isDiscoveryPath = (path: string): boolean => /^\/(api|apis)(\/[^/]+){0,2}$/.test(path);

/**
 * A counting HTTPS proxy on loopback in front of the test cluster: it terminates TLS with its own
 * CA, forwards every request to the real API server as the cluster admin, and records each one.
 * Clients point at {@link CountingProxy.url} with {@link CountingProxy.caCert} and no credentials,
 * so kgo and kubectl can be counted alike — and, since the cache folder is named after the
 * server URL, they share one cache folder.
 */
export class CountingProxy {
  readonly requests: ProxiedRequest[] = [];
  /** Answer aggregated-discovery requests with the legacy documents (as a server without aggregated discovery would). */
  legacyOnly = false;
  /** A fault to inject for a path: `reset` (the connection is destroyed), or a status to answer with (no Retry-After). */
  fault: ((path: string) => 'reset' | number | undefined) | undefined;
  /** Hold every answer this long (to make calls overlap). */
  delayMs = 0;
  readonly url: string;
  readonly caCert: string;
  readonly #server: Server;
  readonly #agent: Agent;
  readonly #dir: string;

  private constructor(server: Server, agent: Agent, url: string, caCert: string, dir: string) {
    this.#server = server;
    this.#agent = agent;
    this.url = url;
    this.caCert = caCert;
    this.#dir = dir;
  }

  static async start(cluster: TestCluster): Promise<CountingProxy> {
    const dir = await mkdtemp(join(tmpdir(), 'kgo-proxy-'));
    const ca = await createCertificateAuthority(dir, 'proxy-ca', 'kgo-counting-proxy-ca');
    const serving = await issueCertificate(dir, 'proxy', ca, { commonName: 'proxy', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const upstream = new URL(cluster.server);
    const agent = new Agent({ keepAlive: true, ca: cluster.caCert, cert: cluster.admin.cert, key: cluster.admin.key });
    const server = createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
      const headers: IncomingHttpHeaders = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      delete headers.authorization;
      if (cluster.admin.token) headers.authorization = `Bearer ${cluster.admin.token}`;
      const agentName = req.headers['user-agent'] ?? '';
      const record: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'https://proxy').pathname,
        url: req.url ?? '/',
        who: agentName.startsWith('kubectl-dispatcher/') ? 'dispatcher' : agentName.startsWith('kubectl/') ? 'kubectl' : 'kgo',
        accept: req.headers.accept ?? '',
        ifNoneMatch: req.headers['if-none-match'],
        status: 0,
      };
      if (proxy.legacyOnly && headers.accept?.includes('apidiscovery.k8s.io')) headers.accept = 'application/json';
      const fault = proxy.fault?.(record.path);
      if (fault === 'reset') {
        record.status = -1;
        proxy.requests.push(record);
        req.socket.destroy();
        return;
      }
      if (typeof fault === 'number') {
        record.status = fault;
        proxy.requests.push(record);
        res.writeHead(fault, { 'content-type': 'application/json' }).end(
          JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: fault, message: `injected ${fault}` }),
        );
        return;
      }
      const forward = httpsRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          record.status = answer.statusCode ?? 0;
          proxy.requests.push(record);
          setTimeout(() => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          }, proxy.delayMs);
        },
      );
      forward.on('error', (error) => {
        record.status = 502;
        proxy.requests.push(record);
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const proxy = new CountingProxy(server, agent, `https://127.0.0.1:${port}`, ca.cert, dir);
    return proxy;
  }

  /** Requests recorded since the last {@link CountingProxy.reset}, optionally only one client's. */
  made(who?: ProxiedRequest['who']): ProxiedRequest[] {
    return who ? this.requests.filter((r) => r.who === who) : [...this.requests];
  }

  /** Forgets the recorded requests and the injected faults. */
  reset(): void {
    this.requests.length = 0;
    this.legacyOnly = false;
    this.fault = undefined;
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    this.#agent.destroy();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

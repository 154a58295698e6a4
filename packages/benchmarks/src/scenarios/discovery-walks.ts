/**
 * Full discovery (every group-version's resource list) by kgo and by the same walk written with
 * @kubernetes/client-node, which has no discovery client: `/api` and `/apis` through its
 * `CoreApi`/`ApisApi`, then every group-version's APIResourceList with its own TLS/credential
 * options, all in parallel. Shared by bench:discovery and the discovery scenarios of bench.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DiscoveryClient } from '@kgo/discovery';
import { isDiscoveryPath, startCountingProxy } from '@kgo/discovery/test';
import type { RestConfig } from '@kgo/rest';
import { ApisApi, CoreApi, KubeConfig } from '@kubernetes/client-node';
import type { BenchConnection } from '../cluster.ts';

/** One full discovery; returns how many resource lists it read (to check every client read everything). */
export type Walk = (connection: BenchConnection) => Promise<number>;

/** kgo's config for a connection (a plain-HTTP server, the counting proxy, gets no TLS settings). */
export const kgoDiscoveryConfig = (c: BenchConnection): RestConfig =>
  c.server.startsWith('http:') ? { host: c.server, qps: -1 } : { host: c.server, tls: { caData: c.caCert, certData: c.cert, keyData: c.key }, qps: -1 };

/** A new kgo DiscoveryClient each call (new config, new connections): a cold start. */
export const kgoWalk =
  (legacy: boolean): Walk =>
  async (c) => {
    const discovery = new DiscoveryClient(kgoDiscoveryConfig(c), { legacy });
    const { resources } = await discovery.serverGroupsAndResources();
    await discovery.restClient.close();
    return resources.length;
  };

function clientNodeConfig(c: BenchConnection): KubeConfig {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // Only the request-counting pass talks plain HTTP (to the loopback proxy); client-node demands this flag for it.
    clusters: [{ name: 'bench', server: c.server, caData: b64(c.caCert), skipTLSVerify: c.server.startsWith('http:') }],
    users: [{ name: 'bench-admin', certData: b64(c.cert), keyData: b64(c.key) }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench-admin' }],
    currentContext: 'bench',
  });
  return kc;
}

/** GET a path with client-node's TLS and credentials (what its users do for paths it has no API for). */
async function clientNodeGet(kc: KubeConfig, path: string): Promise<unknown> {
  const url = new URL(path, kc.getCurrentCluster()?.server);
  const options: Parameters<typeof httpsRequest>[1] = { method: 'GET', headers: { accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`GET ${path}: ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The client-node walk. */
export const clientNodeWalk: Walk = async (c) => {
  const kc = clientNodeConfig(c);
  const [core, apis] = await Promise.all([kc.makeApiClient(CoreApi).getAPIVersions(), kc.makeApiClient(ApisApi).getAPIVersions()]);
  const paths = [...core.versions.map((v) => `/api/${v}`), ...apis.groups.flatMap((g) => g.versions.map((v) => `/apis/${v.groupVersion}`))];
  const lists = await Promise.all(paths.map((path) => clientNodeGet(kc, path)));
  return lists.length;
};

/** Discovery requests `walk` sends, counted at a loopback proxy. */
export async function countDiscoveryRequests(connection: BenchConnection, walk: Walk): Promise<number> {
  const proxy = await startCountingProxy({ server: connection.server, caCert: connection.caCert, cert: connection.cert, key: connection.key });
  try {
    await walk({ ...connection, server: proxy.url });
    return proxy.count(({ path }) => isDiscoveryPath(path));
  } finally {
    await proxy.close();
  }
}

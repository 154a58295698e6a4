import { pathToFileURL } from 'node:url';
import type { BenchConnection } from '../cluster.ts';
import type { RestModule } from './kgo.ts';
import type { BenchClient } from './types.ts';

export type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/**
 * The clients compared. Every one talks TLS to the same server with the same pinned CA and the
 * same client certificate (no insecure mode anywhere).
 *
 * - `raw`: undici.request + JSON.parse, the floor cost. Does not ask for gzip.
 * - `raw-gzip`: the same asking for gzip, inflated with one zlib call (list scenario only).
 * - `kgo`: @kgo/rest's RestClient, rate limiting off. Asks for gzip (`accept-encoding: gzip`
 *   unless `disableCompression` is set), as client-go does.
 * - `kgo-identity`: the same with `disableCompression: true` (list scenario only).
 * - `client-node`: @kubernetes/client-node 2.0.1's CoreV1Api. Asks for gzip (undici fetch).
 *
 * The two extra variants separate what gzip costs from what the client costs: the server only
 * compresses responses over 128 KiB, so they matter for the LIST, not for the small GET.
 */
export const CLIENT_NAMES = ['raw', 'raw-gzip', 'kgo', 'kgo-identity', 'client-node'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export function isClientName(name: string): name is ClientName {
  return (CLIENT_NAMES as readonly string[]).includes(name);
}

/**
 * The @kgo/rest the kgo clients use: this workspace's, or the copy whose `src/index.ts`
 * KGO_BENCH_REST names (e.g. a transport candidate, or the sources at a branch point).
 */
async function restModule(): Promise<RestModule> {
  const path = process.env.KGO_BENCH_REST;
  return (await import(path ? pathToFileURL(path).href : '@kgo/rest')) as RestModule;
}

/**
 * Creates a client, importing only its own library: a list worker's RSS then holds one client's
 * code, not all three.
 */
export async function createClient(name: ClientName, connection: BenchConnection): Promise<BenchClient> {
  switch (name) {
    case 'raw':
      return (await import('./raw.ts')).createRawClient(connection);
    case 'raw-gzip':
      return (await import('./raw.ts')).createRawClient(connection, { gzip: true });
    case 'kgo':
      return (await import('./kgo.ts')).createKgoClient(connection, { rest: await restModule() });
    case 'kgo-identity':
      return (await import('./kgo.ts')).createKgoClient(connection, { disableCompression: true, rest: await restModule() });
    case 'client-node':
      return (await import('./client-node.ts')).createClientNodeClient(connection);
  }
}

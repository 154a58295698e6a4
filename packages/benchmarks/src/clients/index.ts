import type { BenchConnection } from '../cluster.ts';
import type { BenchClient } from './types.ts';

export type { BenchClient, BenchWatch, ConfigMap, ConfigMapList, WatchListener } from './types.ts';

/**
 * The JavaScript clients compared. Every one talks TLS to the same server with the same pinned CA
 * and the same client certificate (no insecure mode anywhere); client-go (the Go programs under
 * go/) is the seventh.
 *
 * - `raw`: undici.request + JSON.parse, the floor cost. Does not ask for gzip.
 * - `raw-gzip`: the same asking for gzip, inflated with one zlib call (list scenario only).
 * - `kgo-rest`: @kgo/rest's RestClient, rate limiting off. Asks for gzip, as client-go does.
 * - `kgo-identity`: the same with `disableCompression: true` (list scenario only).
 * - `kgo-typed`: @kgo/typed's ClientSet (core/v1), over its own HttpClient.
 * - `kgo-dynamic`: @kgo/dynamic's DynamicClient.
 * - `client-node`: @kubernetes/client-node 2.0.1's CoreV1Api and Watch. Asks for gzip (undici fetch).
 * - `kgo-rest-baseline`: `kgo-rest` built from the copy of @kgo/rest whose `src/index.ts`
 *   KGO_BENCH_REST_BASELINE names (the sources at a branch point, with their own ky), so a change
 *   and what it replaced are measured in one run; only when that variable is set.
 *
 * The two extra variants separate what gzip costs from what the client costs: the server only
 * compresses responses over 128 KiB, so they matter for the LIST, not for the small GET.
 */
export const CLIENT_NAMES = ['raw', 'raw-gzip', 'kgo-rest', 'kgo-rest-baseline', 'kgo-identity', 'kgo-typed', 'kgo-dynamic', 'client-node'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export function isClientName(name: string): name is ClientName {
  return (CLIENT_NAMES as readonly string[]).includes(name);
}

/**
 * Creates a client, importing only its own library: a worker's RSS then holds one client's
 * code, not all of them.
 */
export async function createClient(name: ClientName, connection: BenchConnection): Promise<BenchClient> {
  switch (name) {
    case 'raw':
      return (await import('./raw.ts')).createRawClient(connection);
    case 'raw-gzip':
      return (await import('./raw.ts')).createRawClient(connection, { gzip: true });
    case 'kgo-rest':
      return (await import('./kgo.ts')).createKgoClient(connection);
    case 'kgo-rest-baseline':
      return (await import('./kgo.ts')).createKgoBaselineClient(connection);
    case 'kgo-identity':
      return (await import('./kgo.ts')).createKgoClient(connection, { disableCompression: true });
    case 'kgo-typed':
      return (await import('./kgo-typed.ts')).createKgoTypedClient(connection);
    case 'kgo-dynamic':
      return (await import('./kgo-dynamic.ts')).createKgoDynamicClient(connection);
    case 'client-node':
      return (await import('./client-node.ts')).createClientNodeClient(connection);
  }
}

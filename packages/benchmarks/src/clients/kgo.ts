import { pathToFileURL } from 'node:url';
import type { RestClient, RestConfig } from '@kgo/rest';
import type { BenchConnection } from '../cluster.ts';
import { drainKgoWatch } from './kgo-watch.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/**
 * The config every kgo client is made from: client-side rate limiting off (`qps: -1`; the
 * default QPS 5 / burst 10 would measure the limiter, not the client), otherwise defaults.
 */
export function kgoConfig(connection: BenchConnection, options: { disableCompression?: boolean } = {}): RestConfig {
  return {
    host: connection.server,
    tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key },
    qps: -1,
    ...(options.disableCompression ? { disableCompression: true } : {}),
  };
}

/** The part of @kgo/rest the client needs (this workspace's, or another copy: see KGO_BENCH_REST). */
export interface RestModule {
  RestClient: typeof RestClient;
}

/**
 * The @kgo/rest the `kgo-rest` clients use: this workspace's, or the copy whose `src/index.ts`
 * KGO_BENCH_REST names (e.g. a transport candidate, or the sources at a branch point).
 */
async function restModule(): Promise<RestModule> {
  const path = process.env.KGO_BENCH_REST;
  return (await import(path ? pathToFileURL(path).href : '@kgo/rest')) as RestModule;
}

/**
 * The `kgo-rest` client over the copy of @kgo/rest whose `src/index.ts` KGO_BENCH_REST_BASELINE
 * names (`kgo-rest-baseline`: before and after a change, in one run).
 */
export async function createKgoBaselineClient(connection: BenchConnection): Promise<BenchClient> {
  const path = process.env.KGO_BENCH_REST_BASELINE;
  if (!path) throw new Error('kgo-rest-baseline needs KGO_BENCH_REST_BASELINE=/path/to/rest/src/index.ts');
  const rest = (await import(pathToFileURL(path).href)) as RestModule;
  return { ...(await createKgoClient(connection, { rest })), name: 'kgo-rest-baseline' };
}

/**
 * @kgo/rest's RestClient (`kgo-rest`). `disableCompression` gives the `kgo-identity` variant,
 * which does not ask for gzip; `rest` picks the @kgo/rest module (default: {@link restModule}).
 */
export async function createKgoClient(
  connection: BenchConnection,
  options: { disableCompression?: boolean; rest?: RestModule } = {},
): Promise<BenchClient> {
  const { RestClient } = options.rest ?? (await restModule());
  const client = new RestClient(kgoConfig(connection, options), { groupVersion: { group: '', version: 'v1' } });
  return {
    name: options.disableCompression ? 'kgo-identity' : 'kgo-rest',
    get: (namespace, name) => client.get().namespace(namespace).resource('configmaps').name(name).do().into<ConfigMap>(),
    list: (namespace) => client.get().namespace(namespace).resource('configmaps').do().into<ConfigMapList>(),
    create: (namespace, configMap) => client.post().namespace(namespace).resource('configmaps').body(configMap).do().into<ConfigMap>(),
    watch: async (namespace, resourceVersion, listener) =>
      drainKgoWatch(await client.get().namespace(namespace).resource('configmaps').params({ resourceVersion }).watch<ConfigMap>(), listener),
    close: () => client.close(),
  };
}

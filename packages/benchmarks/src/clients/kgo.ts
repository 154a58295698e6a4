import type { RestClient, RestConfig } from '@kgo/rest';
import type { BenchConnection } from '../cluster.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/** The part of @kgo/rest the client needs (this workspace's, or another copy: see KGO_BENCH_REST). */
export interface RestModule {
  RestClient: typeof RestClient;
}

/**
 * @kgo/rest's RestClient with client-side rate limiting off (`qps: -1`; the default QPS 5 /
 * burst 10 would measure the limiter, not the client) and otherwise default settings.
 * `disableCompression` gives the `kgo-identity` variant, which does not ask for gzip.
 */
export function createKgoClient(connection: BenchConnection, options: { disableCompression?: boolean; rest: RestModule }): BenchClient {
  const config: RestConfig = {
    host: connection.server,
    tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key },
    qps: -1,
    ...(options.disableCompression ? { disableCompression: true } : {}),
  };
  const client = new options.rest.RestClient(config, { groupVersion: { group: '', version: 'v1' } });
  return {
    name: options.disableCompression ? 'kgo-identity' : 'kgo',
    get: (namespace, name) => client.get().namespace(namespace).resource('configmaps').name(name).do().into<ConfigMap>(),
    list: (namespace) => client.get().namespace(namespace).resource('configmaps').do().into<ConfigMapList>(),
    close: () => client.close(),
  };
}

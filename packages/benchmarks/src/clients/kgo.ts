import { RestClient, type RestConfig } from '@kgo/rest';
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

/**
 * @kgo/rest's RestClient (`kgo-rest`). `disableCompression` gives the `kgo-identity` variant,
 * which does not ask for gzip.
 */
export function createKgoClient(connection: BenchConnection, options: { disableCompression?: boolean } = {}): BenchClient {
  const client = new RestClient(kgoConfig(connection, options), { groupVersion: { group: '', version: 'v1' } });
  return {
    name: options.disableCompression ? 'kgo-identity' : 'kgo-rest',
    get: async (namespace, name) => (await client.get().namespace(namespace).resource('configmaps').name(name).do()).into<ConfigMap>(),
    list: async (namespace) => (await client.get().namespace(namespace).resource('configmaps').do()).into<ConfigMapList>(),
    create: async (namespace, configMap) => (await client.post().namespace(namespace).resource('configmaps').body(configMap).do()).into<ConfigMap>(),
    watch: async (namespace, resourceVersion, listener) =>
      drainKgoWatch(await client.get().namespace(namespace).resource('configmaps').params({ resourceVersion }).watch<ConfigMap>(), listener),
    close: () => client.close(),
  };
}

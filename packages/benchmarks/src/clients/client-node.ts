import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { BenchConnection } from '../cluster.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/** @kubernetes/client-node's CoreV1Api from a KubeConfig holding the same CA and client certificate. */
export function createClientNodeClient(connection: BenchConnection): BenchClient {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'bench', server: connection.server, caData: b64(connection.caCert), skipTLSVerify: false }],
    users: [{ name: 'bench-admin', certData: b64(connection.cert), keyData: b64(connection.key) }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench-admin' }],
    currentContext: 'bench',
  });
  const api = kc.makeApiClient(CoreV1Api);
  return {
    name: 'client-node',
    get: async (namespace, name) => (await api.readNamespacedConfigMap({ name, namespace })) as ConfigMap,
    list: async (namespace) => (await api.listNamespacedConfigMap({ namespace })) as ConfigMapList,
    // client-node has no way to close its connection pools.
    close: async () => {},
  };
}

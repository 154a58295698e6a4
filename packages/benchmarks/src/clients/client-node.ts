import { CoreV1Api, KubeConfig, type V1ConfigMap, Watch } from '@kubernetes/client-node';
import type { BenchConnection } from '../cluster.ts';
import type { BenchClient, BenchWatch, ConfigMap, ConfigMapList } from './types.ts';

/** A client-node KubeConfig holding the connection's server, CA and client certificate. */
export function clientNodeConfig(connection: BenchConnection): KubeConfig {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'bench', server: connection.server, caData: b64(connection.caCert), skipTLSVerify: false }],
    users: [{ name: 'bench-admin', certData: b64(connection.cert), keyData: b64(connection.key) }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench-admin' }],
    currentContext: 'bench',
  });
  return kc;
}

/** @kubernetes/client-node's CoreV1Api (and Watch) from a KubeConfig holding the same CA and client certificate. */
export function createClientNodeClient(connection: BenchConnection): BenchClient {
  const kc = clientNodeConfig(connection);
  const api = kc.makeApiClient(CoreV1Api);
  return {
    name: 'client-node',
    get: async (namespace, name) => (await api.readNamespacedConfigMap({ name, namespace })) as ConfigMap,
    list: async (namespace) => (await api.listNamespacedConfigMap({ namespace })) as ConfigMapList,
    create: async (namespace, configMap) => (await api.createNamespacedConfigMap({ namespace, body: configMap as V1ConfigMap })) as ConfigMap,
    watch: async (namespace, resourceVersion, listener): Promise<BenchWatch> => {
      let settle: (error: unknown) => void = () => {};
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      // Resolves once the response has arrived (or failed: then `done` has the error).
      const controller = await new Watch(kc).watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        { resourceVersion },
        (type, object) => listener(type, object as ConfigMap),
        (error) => settle(error),
      );
      return { done, stop: () => controller.abort() };
    },
    // client-node has no way to close its connection pools.
    close: async () => {},
  };
}

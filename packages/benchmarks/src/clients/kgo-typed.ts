import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import type { BenchConnection } from '../cluster.ts';
import { drainKgoWatch } from './kgo-watch.ts';
import { kgoConfig } from './kgo.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/** @kgo/typed's ClientSet with core/v1 only: `clientset.coreV1().configMaps(ns)`. */
export function createKgoTypedClient(connection: BenchConnection): BenchClient {
  const clientset = createClientSet(kgoConfig(connection), { coreV1 });
  const configMaps = (namespace: string) => clientset.coreV1().configMaps(namespace);
  return {
    name: 'kgo-typed',
    get: async (namespace, name) => (await configMaps(namespace).get(name)) as ConfigMap,
    list: async (namespace) => (await configMaps(namespace).list()) as ConfigMapList,
    create: async (namespace, configMap) => (await configMaps(namespace).create(configMap)) as ConfigMap,
    watch: async (namespace, resourceVersion, listener) => drainKgoWatch(await configMaps(namespace).watch({ resourceVersion }), listener),
    close: () => clientset.close(),
  };
}

import { DynamicClient } from '@kgo/dynamic';
import type { BenchConnection } from '../cluster.ts';
import { drainKgoWatch } from './kgo-watch.ts';
import { kgoConfig } from './kgo.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

/** @kgo/dynamic's DynamicClient over the configmaps GVR. */
export function createKgoDynamicClient(connection: BenchConnection): BenchClient {
  const dynamic = new DynamicClient(kgoConfig(connection));
  const configMaps = (namespace: string) => dynamic.resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace(namespace);
  return {
    name: 'kgo-dynamic',
    get: async (namespace, name) => (await configMaps(namespace).get(name)) as ConfigMap,
    list: async (namespace) => (await configMaps(namespace).list()) as ConfigMapList,
    create: async (namespace, configMap) => (await configMaps(namespace).create({ apiVersion: 'v1', kind: 'ConfigMap', ...configMap })) as ConfigMap,
    watch: async (namespace, resourceVersion, listener) =>
      drainKgoWatch((await configMaps(namespace).watch({ resourceVersion })) as Parameters<typeof drainKgoWatch>[0], listener),
    close: () => dynamic.close(),
  };
}

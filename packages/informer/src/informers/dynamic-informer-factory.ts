import type { GroupVersionResource, ListOptions, Unstructured } from '@kgo/rest';
import type { ListerWatcher } from '../cache/lister-watcher.ts';
import { SharedInformerFactory, type SharedInformerFactoryOptions, type TweakListOptions } from './shared-informer-factory.ts';

/**
 * What the factory needs of a DynamicClient, structurally (so @kgo/informer does not depend on
 * @kgo/dynamic): `resource(gvr).namespace(ns)` with `list` and `watch`. `@kgo/dynamic`'s
 * `DynamicClient` is one; `namespace('')` addresses all namespaces.
 */
export interface DynamicClientLike {
  resource(gvr: GroupVersionResource): { namespace(namespace: string): ListerWatcher<Unstructured> };
}

/**
 * client-go's `dynamicinformer.NewFilteredDynamicSharedInformerFactory(client, defaultResync,
 * namespace, tweakListOptions)`: a {@link SharedInformerFactory} whose informers list and watch
 * through a DynamicClient.
 *
 * @example
 * ```ts
 * const factory = newFilteredDynamicSharedInformerFactory(dynamic, 0, 'default', (o) => ({ ...o, labelSelector: 'app=web' }));
 * const widgets = factory.forResource({ group: 'example.com', version: 'v1', resource: 'widgets' });
 * factory.start();
 * ```
 */
export function newFilteredDynamicSharedInformerFactory(
  client: DynamicClientLike,
  defaultResyncMs: number,
  namespace: string,
  tweakListOptions?: TweakListOptions | ((options: ListOptions) => void),
  options: Omit<SharedInformerFactoryOptions, 'namespace' | 'defaultResyncMs' | 'tweakListOptions'> = {},
): SharedInformerFactory {
  return new SharedInformerFactory((gvr, ns) => client.resource(gvr).namespace(ns), { ...options, namespace, defaultResyncMs, tweakListOptions });
}

/** {@link newFilteredDynamicSharedInformerFactory} for all namespaces, without a tweak (`NewDynamicSharedInformerFactory`). */
export function newDynamicSharedInformerFactory(client: DynamicClientLike, defaultResyncMs: number): SharedInformerFactory {
  return newFilteredDynamicSharedInformerFactory(client, defaultResyncMs, '');
}

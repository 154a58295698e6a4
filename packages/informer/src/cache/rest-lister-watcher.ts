import type { KubeList, KubeObject, ListOptions, RestClient } from '@kgo/rest';
import type { ListerWatcher } from './lister-watcher.ts';

/** Options of {@link listerWatcherFor}. */
export interface RestListerWatcherOptions {
  /** The namespace to list and watch; `''` or absent: all namespaces (or a cluster-scoped resource). */
  namespace?: string | undefined;
  /** Adjusts every list and watch's options (a label or field selector, typically). */
  tweakListOptions?: ((options: ListOptions) => ListOptions | void) | undefined;
}

/**
 * A {@link ListerWatcher} over a `RestClient` of the resource's group-version (client-go's
 * `cache.NewListWatchFromClient`): for resources without a typed client, and for tests.
 *
 * @param client a RestClient made for the resource's group-version
 * @param resource the plural resource name (`configmaps`, `widgets`)
 *
 * @example
 * ```ts
 * const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
 * const informer = new SharedIndexInformer(listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace: 'default' }));
 * ```
 */
export function listerWatcherFor<T extends KubeObject>(client: RestClient, resource: string, options: RestListerWatcherOptions = {}): ListerWatcher<T> {
  const namespace = options.namespace ?? '';
  const tweak = (listOptions: ListOptions): ListOptions => {
    const copy = { ...listOptions };
    return options.tweakListOptions?.(copy) ?? copy;
  };
  const collection = () => {
    const request = client.get();
    return namespace ? request.namespace(namespace).resource(resource) : request.resource(resource);
  };
  return {
    list: (listOptions) => collection().params(tweak(listOptions)).do().into<KubeList<T>>(),
    watch: (listOptions) => collection().params(tweak(listOptions)).watch<T>(),
  };
}

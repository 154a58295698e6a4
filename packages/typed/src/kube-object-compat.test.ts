import type { KubeObject, ListOptions, WatchEvent } from '@kgo/rest';
import { describe, expectTypeOf, it } from 'vitest';
import type { Deployment } from './generated/apps/v1/types.ts';
import type { ConfigMap, Pod, PodList } from './generated/core/v1/types.ts';
import type { Lease } from './generated/coordination/v1/types.ts';
import type { ResourceClient } from './runtime/resource-client.ts';

/*
 * Generated types must fit @kgo/rest's KubeObject: @kgo/informer (and any code generic over
 * KubeObject) takes typed objects and typed clients as they are. A generated field narrower or
 * wider than rest's (managedFields[].operation was once `string` here, a union there) breaks
 * `new SharedIndexInformer<Pod>(clientSet.coreV1().pods(ns))` at compile time; this checks it
 * in typed's own typecheck.
 */
describe('generated types and @kgo/rest', () => {
  it('are KubeObjects, and a typed resource client lists and watches them in the shape informers take', () => {
    expectTypeOf<Pod>().toExtend<KubeObject>();
    expectTypeOf<ConfigMap>().toExtend<KubeObject>();
    expectTypeOf<Deployment>().toExtend<KubeObject>();
    expectTypeOf<Lease>().toExtend<KubeObject>();
    type ListerWatcherShape<T> = {
      list(options: ListOptions): Promise<{ items: T[] }>;
      watch(options: ListOptions): Promise<AsyncIterable<WatchEvent<T>> & { stop(): void }>;
    };
    expectTypeOf<ResourceClient<Pod, PodList>>().toExtend<ListerWatcherShape<Pod>>();
  });
});

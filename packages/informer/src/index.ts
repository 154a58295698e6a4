/**
 * `@kgo/informer`: informers, listers, a workqueue and leader election (client-go's
 * `tools/cache`, `informers`, `listers`, `util/workqueue` and `tools/leaderelection`). One
 * explicit export list: the public API at a glance.
 *
 * @packageDocumentation
 */

// Reading from the server.
export { type ListerWatcher, type ListResult, type Watcher, type WatchStream, withListOptions } from './cache/lister-watcher.ts';
export { listerWatcherFor, type RestListerWatcherOptions } from './cache/rest-lister-watcher.ts';
export { INITIAL_EVENTS_END_ANNOTATION, Reflector, type ReflectorOptions, type ReflectorStats, type ReflectorStore } from './cache/reflector.ts';
export { Backoff, type BackoffOptions } from './cache/backoff.ts';
export { listAllPages, type PagedList } from './cache/pager.ts';
export { RetryWatcher, type RetryWatcherOptions, type RetryWatcherStats, type RetryWatchEvent, type WatcherClient } from './watch/retry-watcher.ts';

// The cache.
export type { Store } from './cache/store.ts';
export { type IndexFunc, Indexer, type IndexerOptions, type Indexers, metaNamespaceIndexFunc, NAMESPACE_INDEX } from './cache/indexer.ts';
export { type KeyFunc, metaNamespaceKeyFunc, namespaceKey, splitMetaNamespaceKey } from './cache/keys.ts';
export { DeletedFinalStateUnknown } from './cache/deleted-final-state-unknown.ts';
export { Lister, NamespaceLister, type SelectorInput } from './cache/lister.ts';
export {
  invalidLabelKeyReason,
  invalidLabelValueReason,
  type LabelSelector,
  labelSelectorAsSelector,
  type LabelSelectorRequirement,
  type Labels,
  parseSelector,
  type Requirement,
  Selector,
  selectorFromSet,
  type SelectorOperator,
} from './cache/label-selector.ts';

// Informers.
export {
  type EventHandlerOptions,
  type EventHandlerRegistration,
  type InformerErrorSource,
  SharedIndexInformer,
  type SharedInformerOptions,
  type Syncable,
  waitForCacheSync,
} from './cache/shared-informer.ts';
export { filteringHandler, type ResourceEventHandler } from './cache/event-handler.ts';
export {
  type ForResourceOptions,
  type GenericInformer,
  type ListerWatcherFactory,
  SharedInformerFactory,
  type SharedInformerFactoryOptions,
  type TweakListOptions,
} from './informers/shared-informer-factory.ts';
export { type DynamicClientLike, newDynamicSharedInformerFactory, newFilteredDynamicSharedInformerFactory } from './informers/dynamic-informer-factory.ts';

// Workqueue.
export { Queue, type QueueGetResult, type QueueOptions } from './workqueue/queue.ts';
export { DelayingQueue } from './workqueue/delaying-queue.ts';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './workqueue/rate-limiting-queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  type WorkqueueRateLimiter,
} from './workqueue/rate-limiters.ts';
export type {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  SettableGaugeMetric,
  WorkqueueMetricsProvider,
} from './workqueue/metrics.ts';

// Leader election.
export { type LeaderCallbacks, type LeaderElectionConfig, LeaderElector } from './leaderelection/leader-elector.ts';
export { LeaseLock, type LeaseLockOptions, type ResourceLock } from './leaderelection/lease-lock.ts';
export { formatMicroTime, type LeaderElectionRecord, type Lease } from './leaderelection/leader-election-record.ts';

// Errors.
export { ReflectorError, type ReflectorErrorReason } from './errors/reflector-error.ts';
export { RetryWatcherError, type RetryWatcherErrorReason } from './errors/retry-watcher-error.ts';
export { SelectorError } from './errors/selector-error.ts';

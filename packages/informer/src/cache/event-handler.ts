import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/**
 * Callbacks for an informer's changes (client-go's `cache.ResourceEventHandlerFuncs`). Each may
 * return a promise: the next event for the same handler waits for it, other handlers do not. A
 * handler that throws or rejects is reported to the informer's `onError`; the informer and the
 * handler go on.
 *
 * The objects are the cached ones: do not mutate them.
 */
export interface ResourceEventHandler<T> {
  /**
   * An object appeared: in the first list (`isInInitialList`), in a later relist or by a watch
   * event.
   */
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  /**
   * An object changed. Also called with the same object twice on periodic resyncs (then
   * `oldObj.metadata.resourceVersion === newObj.metadata.resourceVersion`).
   */
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /**
   * An object is gone. When the informer missed the delete itself (it happened while the watch
   * was down), it gets a {@link DeletedFinalStateUnknown} holding the last known state.
   */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

/**
 * A handler that only sees objects `filter` accepts (client-go's
 * `FilteringResourceEventHandler`): an update that makes an object match is an add, one that
 * makes it stop matching is a delete.
 */
export function filteringHandler<T>(filter: (obj: T | DeletedFinalStateUnknown<T>) => boolean, handler: ResourceEventHandler<T>): ResourceEventHandler<T> {
  return {
    onAdd: (obj, isInInitialList) => (filter(obj) ? handler.onAdd?.(obj, isInInitialList) : undefined),
    onUpdate: (oldObj, newObj) => {
      const before = filter(oldObj);
      const after = filter(newObj);
      if (before && after) return handler.onUpdate?.(oldObj, newObj);
      if (after) return handler.onAdd?.(newObj, false);
      if (before) return handler.onDelete?.(oldObj);
      return undefined;
    },
    onDelete: (obj) => (filter(obj) ? handler.onDelete?.(obj) : undefined),
  };
}

const marker = Symbol.for('kgo.informer.DeletedFinalStateUnknown');

/**
 * What a delete handler gets instead of the object when the informer missed the delete itself:
 * the object vanished while the watch was down, and the relist that followed no longer had it
 * (client-go's `cache.DeletedFinalStateUnknown`). `obj` is the last state the informer knew,
 * which may be stale.
 *
 * @example
 * ```ts
 * informer.addEventHandler({
 *   onDelete: (obj) => {
 *     const pod = DeletedFinalStateUnknown.isInstance(obj) ? obj.obj : obj;
 *   },
 * });
 * ```
 */
export class DeletedFinalStateUnknown<T> {
  /** The object's store key (`namespace/name`). */
  readonly key: string;
  /** The last known state of the object. */
  readonly obj: T;
  readonly [marker] = true;

  constructor(key: string, obj: T) {
    this.key = key;
    this.obj = obj;
  }

  /** True for a tombstone from any copy of @kgo/informer. */
  static isInstance(value: unknown): value is DeletedFinalStateUnknown<unknown> {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

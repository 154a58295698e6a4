import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('dynamic.KindMismatchError');

/** An object's type as its `apiVersion` and `kind` say (either may be missing). */
export interface ObjectType {
  apiVersion?: string | undefined;
  kind?: string | undefined;
}

/**
 * `fromUnstructured` was asked for one type and given an object of another (or one without
 * `apiVersion`/`kind`). The message names both; `expected` and `got` carry them.
 */
export class KindMismatchError extends KgoError {
  override name = 'KindMismatchError';
  readonly [marker] = true;
  /** The type the caller asked for. */
  readonly expected: Required<ObjectType>;
  /** What the object says it is. */
  readonly got: ObjectType;

  /** @param objectName `namespace/name` of the object, for the message */
  constructor(expected: Required<ObjectType>, got: ObjectType, objectName?: string) {
    const show = (type: ObjectType) => `apiVersion ${JSON.stringify(type.apiVersion ?? null)}, kind ${JSON.stringify(type.kind ?? null)}`;
    super(`expected ${show(expected)}, got ${show(got)}${objectName ? ` (object ${JSON.stringify(objectName)})` : ''}`);
    this.expected = expected;
    this.got = got;
  }

  /** True for a KindMismatchError from any copy of `@kgo/dynamic`. */
  static override isInstance(error: unknown): error is KindMismatchError {
    return hasErrorMarker(error, marker);
  }
}

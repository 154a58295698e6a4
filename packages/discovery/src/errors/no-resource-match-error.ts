import { errorMarker, formatGroupVersionResource, type GroupVersionResource, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery.NoResourceMatchError');

/**
 * No resource matches a (partial) resource name (apimachinery `NoResourceMatchError`). Message:
 * `no matches for <group>/<version>, Resource=<resource>`; `partialResource` holds what was asked.
 */
export class NoResourceMatchError extends KgoError {
  override name = 'NoResourceMatchError';
  /** The resource that was looked up (empty fields were unspecified). */
  readonly partialResource: GroupVersionResource;
  readonly [marker] = true;

  /** `message` replaces the default text (kubectl's `the server doesn't have a resource type "x"`). */
  constructor(partialResource: GroupVersionResource, message?: string) {
    super(message ?? `no matches for ${formatGroupVersionResource(partialResource)}`);
    this.partialResource = partialResource;
  }

  /** True for a NoResourceMatchError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is NoResourceMatchError {
    return hasErrorMarker(error, marker);
  }
}

import { errorMarker, formatGroupVersionKind, type GroupVersionKind, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery.AmbiguousKindError');

/**
 * A kind maps to more than one resource and the priority rules cannot choose (apimachinery
 * `AmbiguousKindError`). Carries every candidate; the message lists them.
 */
export class AmbiguousKindError extends KgoError {
  override name = 'AmbiguousKindError';
  /** The kind that was looked up (version may be empty). */
  readonly partialKind: GroupVersionKind;
  /** The kinds it matches. */
  readonly matchingKinds: GroupVersionKind[];
  readonly [marker] = true;

  constructor(partialKind: GroupVersionKind, matchingKinds: GroupVersionKind[]) {
    super(`${formatGroupVersionKind(partialKind)} matches multiple kinds [${matchingKinds.map(formatGroupVersionKind).join('; ')}]`);
    this.partialKind = partialKind;
    this.matchingKinds = matchingKinds;
  }

  /** True for an AmbiguousKindError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is AmbiguousKindError {
    return hasErrorMarker(error, marker);
  }
}

import { errorMarker, formatGroupVersionKind, formatGroupVersionResource, type GroupVersionKind, type GroupVersionResource, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery.AmbiguousResourceError');

const list = <T>(items: readonly T[], format: (item: T) => string) => `[${items.map(format).join('; ')}]`;

/**
 * A partial resource name matches more than one resource or kind and the priority rules cannot
 * choose (apimachinery `AmbiguousResourceError`). Carries every candidate; the message lists them.
 */
export class AmbiguousResourceError extends KgoError {
  override name = 'AmbiguousResourceError';
  /** The resource that was looked up. */
  readonly partialResource: GroupVersionResource;
  /** The resources it matches. */
  readonly matchingResources: GroupVersionResource[];
  /** The kinds it matches. */
  readonly matchingKinds: GroupVersionKind[];
  readonly [marker] = true;

  constructor(partialResource: GroupVersionResource, matches: { resources?: GroupVersionResource[]; kinds?: GroupVersionKind[] }) {
    const resources = matches.resources ?? [];
    const kinds = matches.kinds ?? [];
    const what = formatGroupVersionResource(partialResource);
    let text = `${what} matches multiple resources or kinds`;
    if (resources.length > 0 && kinds.length > 0) text = `${what} matches multiple resources ${list(resources, formatGroupVersionResource)} and kinds ${list(kinds, formatGroupVersionKind)}`;
    else if (kinds.length > 0) text = `${what} matches multiple kinds ${list(kinds, formatGroupVersionKind)}`;
    else if (resources.length > 0) text = `${what} matches multiple resources ${list(resources, formatGroupVersionResource)}`;
    super(text);
    this.partialResource = partialResource;
    this.matchingResources = resources;
    this.matchingKinds = kinds;
  }

  /** True for an AmbiguousResourceError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is AmbiguousResourceError {
    return hasErrorMarker(error, marker);
  }
}

import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery-cache.CacheNotFoundError');

/**
 * A group-version the cached discovery round did not list (client-go memory cache
 * `ErrCacheNotFound`). The memory cache does not ask the server for names it did not list:
 * call `invalidate()` first when an API may have been added since.
 */
export class CacheNotFoundError extends KgoError {
  override name = 'CacheNotFoundError';
  /** The group-version asked for (`v1`, `apps/v1`). */
  readonly groupVersion: string;
  readonly [marker] = true;

  constructor(groupVersion: string) {
    super(`not found: the server did not list the group-version ${JSON.stringify(groupVersion)} when discovery was cached (invalidate() to read discovery again)`);
    this.groupVersion = groupVersion;
  }

  /** True for a CacheNotFoundError from any copy of `@kgo/discovery-cache`. */
  static override isInstance(error: unknown): error is CacheNotFoundError {
    return hasErrorMarker(error, marker);
  }
}

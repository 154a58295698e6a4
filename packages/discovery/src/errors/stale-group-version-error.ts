import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery.StaleGroupVersionError');

/**
 * Aggregated discovery marked a group-version `Stale`: the API server could not reach the
 * aggregated API server that serves it, so its resources are left out (client-go
 * `StaleGroupVersionError`). Message: `stale GroupVersion discovery: <gv>`.
 */
export class StaleGroupVersionError extends KgoError {
  override name = 'StaleGroupVersionError';
  /** The stale group-version (`metrics.k8s.io/v1beta1`). */
  readonly groupVersion: string;
  readonly [marker] = true;

  constructor(groupVersion: string) {
    super(`stale GroupVersion discovery: ${groupVersion}`);
    this.groupVersion = groupVersion;
  }

  /** True for a StaleGroupVersionError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is StaleGroupVersionError {
    return hasErrorMarker(error, marker);
  }
}

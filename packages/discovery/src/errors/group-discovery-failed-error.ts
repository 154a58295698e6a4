import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';
import type { APIGroup } from '../model/api-group.ts';
import type { APIResourceList } from '../model/api-resource.ts';

const marker = errorMarker('discovery.GroupDiscoveryFailedError');

/**
 * Some group-versions could not be read (client-go `ErrGroupDiscoveryFailed`). Carries what did
 * succeed, so callers can go on with a partial result as kubectl does. The message names every
 * failed group-version and its cause, sorted:
 * `unable to retrieve the complete list of server APIs: <gv>: <err>, ...`.
 *
 * @example
 * ```ts
 * try { lists = await discovery.serverPreferredResources(); }
 * catch (error) {
 *   if (!GroupDiscoveryFailedError.isInstance(error)) throw error;
 *   console.warn(error.message);
 *   lists = error.resources;
 * }
 * ```
 */
export class GroupDiscoveryFailedError extends KgoError {
  override name = 'GroupDiscoveryFailedError';
  /** Every group that was listed (core first). */
  readonly groups: APIGroup[];
  /** The resource lists that were read (for `serverPreferredResources`, the preferred lists). */
  readonly resources: APIResourceList[];
  /** Each failed group-version (`v1`, `apps/v1`) and why. */
  readonly failed: Map<string, Error>;
  readonly [marker] = true;

  constructor(failed: Map<string, Error>, partial: { groups: APIGroup[]; resources: APIResourceList[] }) {
    const parts = [...failed].map(([gv, error]) => `${gv}: ${error.message}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`, { cause: failed.values().next().value });
    this.failed = failed;
    this.groups = partial.groups;
    this.resources = partial.resources;
  }

  /** True for a GroupDiscoveryFailedError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is GroupDiscoveryFailedError {
    return hasErrorMarker(error, marker);
  }
}

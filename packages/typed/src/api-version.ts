import type { GroupVersion } from '@kgo/rest';

/**
 * Splits an `apiVersion` into group and version: `apps/v1` → `{ group: 'apps', version: 'v1' }`,
 * `v1` → the core group `''` (apimachinery's `schema.ParseGroupVersion`).
 */
export function parseApiVersion(apiVersion: string): GroupVersion {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  throw new TypeError(`unexpected apiVersion ${JSON.stringify(apiVersion)}: want "<version>" or "<group>/<version>"`);
}

/** Joins a group and version into an `apiVersion` (`v1` for the core group). */
export function formatApiVersion({ group, version }: GroupVersion): string {
  return group === '' ? version : `${group}/${version}`;
}

/** `<group>/<version>`, or `<version>` alone for the core group (apimachinery `GroupVersion.String`). */
export function formatGroupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * Splits `apps/v1` into `{ group: 'apps', version: 'v1' }` and `v1` into the core group
 * (apimachinery `ParseGroupVersion`); more than one `/` is an error.
 */
export function parseGroupVersion(groupVersion: string): { group: string; version: string } {
  const parts = groupVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] ?? '' };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  throw new TypeError(`unexpected GroupVersion string: ${groupVersion} (expected <version> or <group>/<version>)`);
}

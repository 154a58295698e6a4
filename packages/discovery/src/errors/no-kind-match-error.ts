import { errorMarker, type GroupKind, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('discovery.NoKindMatchError');

function message(groupKind: GroupKind, searchedVersions: readonly string[]): string {
  const searched = [...new Set(searchedVersions.map((v) => (groupKind.group === '' ? v : `${groupKind.group}/${v}`)))].sort();
  if (searched.length === 0) return `no matches for kind "${groupKind.kind}" in group "${groupKind.group}"`;
  if (searched.length === 1) return `no matches for kind "${groupKind.kind}" in version "${searched[0]}"`;
  return `no matches for kind "${groupKind.kind}" in versions ${searched.map((v) => `"${v}"`).join(', ')}`;
}

/**
 * No resource serves a kind (apimachinery `NoKindMatchError`), e.g. a CRD that is not installed.
 * Message: `no matches for kind "Widget" in version "example.com/v1"` (or `in group "..."`).
 */
export class NoKindMatchError extends KgoError {
  override name = 'NoKindMatchError';
  /** The kind that was looked up. */
  readonly groupKind: GroupKind;
  /** The versions that were tried (empty: the group's versions). */
  readonly searchedVersions: string[];
  readonly [marker] = true;

  constructor(groupKind: GroupKind, searchedVersions: readonly string[] = []) {
    super(message(groupKind, searchedVersions));
    this.groupKind = groupKind;
    this.searchedVersions = [...searchedVersions];
  }

  /** True for a NoKindMatchError from any copy of `@kgo/discovery`. */
  static override isInstance(error: unknown): error is NoKindMatchError {
    return hasErrorMarker(error, marker);
  }
}

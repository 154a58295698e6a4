import { guessKindToResource } from './guess-kind-to-resource.ts';
import type { RESTMapping } from './rest-mapping.ts';
import type { GroupKind, GroupVersionKind, GroupVersionResource } from '@kgo/rest';

type Scope = RESTMapping['scope'];

/**
 * The mappings of one group-version (apimachinery `DefaultRESTMapper` as discovery builds it:
 * one per group-version). Lookups follow its rules exactly: the resource name is lowercased;
 * group and version narrow the match; a group that matches nothing exactly matches as a prefix
 * (`storageclass.storage` → `storage.k8s.io`). No match is an empty answer, not an error: the
 * caller asks every group-version and raises one error for all.
 */
export class VersionMapper {
  readonly group: string;
  readonly version: string;
  // Indexed by resource name (plural and singular alike), in insertion order; lookups are O(1)
  // per group-version, results sorted as client-go sorts them.
  readonly #pairsByName = new Map<string, [plural: GroupVersionResource, singular: GroupVersionResource][]>();
  readonly #pluralToSingular = new Map<string, GroupVersionResource>();
  readonly #resourceToKind = new Map<string, GroupVersionKind>();
  readonly #kindToPlural = new Map<string, GroupVersionResource>();
  readonly #kindToScope = new Map<string, Scope>();
  readonly #kindsByLowercase = new Map<string, string>();

  constructor(group: string, version: string) {
    this.group = group;
    this.version = version;
  }

  /** Maps `kind` (in this group-version) to `plural`, accepting `singular` too (`AddSpecific`). */
  addSpecific(kind: string, plural: string, singular: string, scope: Scope): void {
    const gvk = { group: this.group, version: this.version, kind };
    const p = { group: this.group, version: this.version, resource: plural };
    const s = { group: this.group, version: this.version, resource: singular };
    const previous = this.#pluralToSingular.get(plural);
    if (previous !== undefined) this.#unindex(plural, previous.resource);
    this.#pluralToSingular.set(plural, s);
    for (const name of new Set([plural, singular])) {
      const pairs = this.#pairsByName.get(name) ?? [];
      pairs.push([p, s]);
      this.#pairsByName.set(name, pairs);
    }
    this.#resourceToKind.set(singular, gvk);
    this.#resourceToKind.set(plural, gvk);
    this.#kindToPlural.set(kind, p);
    this.#kindToScope.set(kind, scope);
    // The kind as discovery spells it wins over the lowercased copy client-go also registers.
    if (kind !== kind.toLowerCase() || !this.#kindsByLowercase.has(kind)) this.#kindsByLowercase.set(kind.toLowerCase(), kind);
  }

  #unindex(plural: string, singular: string): void {
    for (const name of [plural, singular]) {
      const pairs = this.#pairsByName.get(name)?.filter(([p]) => p.resource !== plural);
      if (pairs && pairs.length > 0) this.#pairsByName.set(name, pairs);
      else this.#pairsByName.delete(name);
    }
  }

  /** Maps `kind` to its guessed plural and singular (`Add`). */
  add(kind: string, scope: Scope): void {
    const { plural, singular } = guessKindToResource(kind);
    this.addSpecific(kind, plural, singular, scope);
  }

  /**
   * True when this group-version answers for `group`: none given, or equal, or — client-go's
   * fallback when nothing matches exactly, which per group-version is the same — a prefix of it.
   */
  #groupMatches(group: string): boolean {
    return this.group.startsWith(group);
  }

  /** Every resource `input` names in this group-version, sorted by name (`ResourcesFor`); `[]` for none. */
  resourcesFor(input: GroupVersionResource): GroupVersionResource[] {
    const resource = { ...input, resource: input.resource.toLowerCase() };
    if (resource.resource === '') throw new TypeError('a resource must be present');
    const versionOk = resource.version === '' || resource.version === this.version;
    const result: GroupVersionResource[] = [];
    if (versionOk && this.#groupMatches(resource.group)) {
      for (const [plural, singular] of this.#pairsByName.get(resource.resource) ?? []) {
        // client-go appends a plural once per side that matches (deduplicated by the caller).
        if (singular.resource === resource.resource) result.push(plural);
        if (plural.resource === resource.resource) result.push(plural);
        // group and version given: the first exact match only
        if (resource.group !== '' && resource.version !== '' && result.length > 0) break;
      }
      if (resource.group !== '' && resource.version !== '' && this.group !== resource.group) result.length = 0;
    }
    return result.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  }

  /** Every kind `input` names in this group-version (`KindsFor`); `[]` for none. */
  kindsFor(input: GroupVersionResource): GroupVersionKind[] {
    const resource = { ...input, resource: input.resource.toLowerCase() };
    if (resource.resource === '') throw new TypeError('a resource must be present');
    const versionOk = resource.version === '' || resource.version === this.version;
    const groupOk = resource.group !== '' && resource.version !== '' ? this.group === resource.group : this.#groupMatches(resource.group);
    const kind = versionOk && groupOk ? this.#resourceToKind.get(resource.resource) : undefined;
    return kind ? [kind] : [];
  }

  /** The singular registered for a plural in this group-version, if any. */
  singularOf(plural: GroupVersionResource): GroupVersionResource | undefined {
    return plural.group === this.group && plural.version === this.version ? this.#pluralToSingular.get(plural.resource) : undefined;
  }

  /**
   * The mapping of a kind in this group-version (`RESTMappings`): a version list picks the first
   * version served here; none means this group-version when the group matches. The kind matches
   * exactly, else case-insensitively (client-go registers the lowercased kind too; kgo accepts any
   * case and reports the kind as discovery spells it).
   */
  restMappings(groupKind: GroupKind, versions: readonly string[]): RESTMapping[] {
    const wanted = versions.filter((v) => v !== '' && v !== '__internal');
    const searched = wanted.length > 0 ? wanted.includes(this.version) : true;
    if (groupKind.group !== this.group || !searched) return [];
    const kind = this.#kindToPlural.has(groupKind.kind) ? groupKind.kind : this.#kindsByLowercase.get(groupKind.kind.toLowerCase());
    const resource = kind === undefined ? undefined : this.#kindToPlural.get(kind);
    if (kind === undefined || resource === undefined) return [];
    const canonical = this.#resourceToKind.get(resource.resource)?.kind ?? kind;
    return [{ resource, groupVersionKind: { group: this.group, version: this.version, kind: canonical }, scope: this.#kindToScope.get(kind) ?? 'namespace' }];
  }
}

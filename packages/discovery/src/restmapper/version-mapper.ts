import { NoKindMatchError } from '../errors/no-kind-match-error.ts';
import { NoResourceMatchError } from '../errors/no-resource-match-error.ts';
import { guessKindToResource } from './guess-kind-to-resource.ts';
import type { RESTMapping } from './rest-mapping.ts';
import { type GroupKind, type GroupVersionKind, type GroupVersionResource, resourceKey } from './schema.ts';

type Scope = RESTMapping['scope'];

/**
 * The mappings of one group-version (apimachinery `DefaultRESTMapper` as discovery builds it:
 * one per group-version). Lookups follow its rules exactly: the resource name is lowercased;
 * group and version narrow the match; a group that matches nothing exactly matches as a prefix
 * (`storageclass.storage` → `storage.k8s.io`).
 */
export class VersionMapper {
  readonly group: string;
  readonly version: string;
  // plural key -> [plural, singular]; insertion order stands in for Go's map order (results are sorted anyway)
  readonly #pluralToSingular = new Map<string, [GroupVersionResource, GroupVersionResource]>();
  readonly #resourceToKind = new Map<string, [GroupVersionResource, GroupVersionKind]>();
  readonly #kindToPlural = new Map<string, GroupVersionResource>();
  readonly #kindToScope = new Map<string, Scope>();

  constructor(group: string, version: string) {
    this.group = group;
    this.version = version;
  }

  /** Maps `kind` (in this group-version) to `plural`, accepting `singular` too (`AddSpecific`). */
  addSpecific(kind: string, plural: string, singular: string, scope: Scope): void {
    const gvk = { group: this.group, version: this.version, kind };
    const p = { group: this.group, version: this.version, resource: plural };
    const s = { group: this.group, version: this.version, resource: singular };
    this.#pluralToSingular.set(resourceKey(p), [p, s]);
    this.#resourceToKind.set(resourceKey(s), [s, gvk]);
    this.#resourceToKind.set(resourceKey(p), [p, gvk]);
    this.#kindToPlural.set(kind, p);
    this.#kindToScope.set(kind, scope);
  }

  /** Maps `kind` to its guessed plural and singular (`Add`). */
  add(kind: string, scope: Scope): void {
    const { plural, singular } = guessKindToResource(kind);
    this.addSpecific(kind, plural, singular, scope);
  }

  /** Every resource `input` names in this group-version, sorted by name (`ResourcesFor`). */
  resourcesFor(input: GroupVersionResource): GroupVersionResource[] {
    const resource = { ...input, resource: input.resource.toLowerCase() };
    if (resource.resource === '') throw new TypeError('a resource must be present');
    const result: GroupVersionResource[] = [];
    const pairs = [...this.#pluralToSingular.values()];
    const gr = (x: GroupVersionResource) => `${x.group}/${x.resource}`;
    if (resource.group !== '' && resource.version !== '') {
      const key = resourceKey(resource);
      const hit = pairs.find(([plural, singular]) => resourceKey(singular) === key || resourceKey(plural) === key);
      if (hit) result.push(hit[0]);
    } else if (resource.group !== '') {
      const wanted = gr(resource);
      for (const [plural, singular] of pairs) {
        if (gr(singular) === wanted) result.push(plural);
        if (gr(plural) === wanted) result.push(plural);
      }
      if (result.length === 0) {
        for (const [plural, singular] of pairs) {
          if (!plural.group.startsWith(resource.group)) continue;
          if (singular.resource === resource.resource) result.push(plural);
          if (plural.resource === resource.resource) result.push(plural);
        }
      }
    } else {
      for (const [plural, singular] of pairs) {
        if (resource.version !== '' && plural.version !== resource.version) continue;
        if (singular.resource === resource.resource) result.push(plural);
        if (plural.resource === resource.resource) result.push(plural);
      }
    }
    if (result.length === 0) throw new NoResourceMatchError(resource);
    return result.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  }

  /** Every kind `input` names in this group-version, sorted by kind (`KindsFor`). */
  kindsFor(input: GroupVersionResource): GroupVersionKind[] {
    const resource = { ...input, resource: input.resource.toLowerCase() };
    if (resource.resource === '') throw new TypeError('a resource must be present');
    const result: GroupVersionKind[] = [];
    const entries = [...this.#resourceToKind.values()];
    if (resource.group !== '' && resource.version !== '') {
      const hit = this.#resourceToKind.get(resourceKey(resource));
      if (hit) result.push(hit[1]);
    } else if (resource.group !== '') {
      for (const [r, kind] of entries) if (r.group === resource.group && r.resource === resource.resource) result.push(kind);
      if (result.length === 0) {
        for (const [r, kind] of entries) if (r.group.startsWith(resource.group) && r.resource === resource.resource) result.push(kind);
      }
    } else {
      for (const [r, kind] of entries) {
        if (resource.version !== '' && r.version !== resource.version) continue;
        if (r.resource === resource.resource) result.push(kind);
      }
    }
    if (result.length === 0) throw new NoResourceMatchError(input);
    return result.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  /** The singular registered for a plural in this group-version, if any. */
  singularOf(plural: GroupVersionResource): GroupVersionResource | undefined {
    return this.#pluralToSingular.get(resourceKey(plural))?.[1];
  }

  /**
   * The mapping of a kind in this group-version (`RESTMappings`): a version list picks the first
   * version served here; none means this group-version when the group matches. The kind matches
   * exactly, else case-insensitively (client-go registers the lowercased kind too; kgo accepts any
   * case and reports the kind as discovery spells it).
   */
  restMappings(groupKind: GroupKind, versions: readonly string[]): RESTMapping[] {
    const wanted = versions.filter((v) => v !== '' && v !== '__internal');
    const kind = this.#canonicalKind(groupKind.kind);
    const searched = wanted.length > 0 ? wanted.includes(this.version) : true;
    if (groupKind.group !== this.group || !searched) throw new NoKindMatchError(groupKind, versions);
    const resource = kind === undefined ? undefined : this.#kindToPlural.get(kind);
    if (kind === undefined || resource === undefined) {
      throw new NoResourceMatchError({ group: groupKind.group, version: '', resource: groupKind.kind });
    }
    return [{ resource, groupVersionKind: { group: this.group, version: this.version, kind }, scope: this.#kindToScope.get(kind) ?? 'namespace' }];
  }

  #canonicalKind(kind: string): string | undefined {
    if (this.#kindToPlural.has(kind)) return this.#resourceToKind.get(resourceKey(this.#kindToPlural.get(kind) as GroupVersionResource))?.[1].kind ?? kind;
    const lower = kind.toLowerCase();
    for (const candidate of this.#kindToPlural.keys()) {
      if (candidate.toLowerCase() === lower && candidate !== lower) return candidate;
    }
    return this.#kindToPlural.has(lower) ? lower : undefined;
  }
}

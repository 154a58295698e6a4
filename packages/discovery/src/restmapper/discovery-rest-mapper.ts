import type { GroupsAndResources } from '../discovery-interface.ts';
import { AmbiguousKindError } from '../errors/ambiguous-kind-error.ts';
import { AmbiguousResourceError } from '../errors/ambiguous-resource-error.ts';
import { NoKindMatchError } from '../errors/no-kind-match-error.ts';
import { NoResourceMatchError } from '../errors/no-resource-match-error.ts';
import { isNoMatchError } from '../errors/predicates.ts';
import { formatGroupResource, type GroupKind, type GroupResource, type GroupVersionKind, type GroupVersionResource, parseGroupVersion, parseKindArg, parseResourceArg } from '@kgo/rest';
import { guessKindToResource } from './guess-kind-to-resource.ts';
import type { RESTMapping } from './rest-mapping.ts';
import { sameKind, sameResource } from './keys.ts';
import { VersionMapper } from './version-mapper.ts';

/** Options of {@link DiscoveryRESTMapper}. */
export interface DiscoveryRESTMapperOptions {
  /**
   * Expand short names from discovery (`po`, `deploy`) before resource lookups, as kubectl does
   * (client-go `ShortcutExpander`). Default true.
   */
  shortcuts?: boolean | undefined;
  /**
   * Receives kubectl's warnings, e.g. `short name "x" could also match lower priority resource
   * y.example.com` when two resources share a short name (the first in priority wins). Default: none.
   */
  warningHandler?: ((message: string) => void) | undefined;
}

// A "*" in a priority pattern (apimachinery AnyGroup/AnyVersion/AnyResource/AnyKind).
const ANY = '*';

interface Shortcut {
  short: GroupResource;
  long: GroupResource;
}

const matches = (pattern: string, value: string) => pattern === ANY || pattern === value;

/** Narrows candidates through priority patterns until one is left (apimachinery `PriorityRESTMapper`). */
function choose<T extends { group: string; version: string }>(candidates: T[], patterns: readonly { group: string; version: string }[]): T | undefined {
  if (candidates.length === 1) return candidates[0];
  let remaining = candidates;
  for (const pattern of patterns) {
    const hits = remaining.filter((c) => matches(pattern.group, c.group) && matches(pattern.version, c.version));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) remaining = hits;
  }
  return undefined;
}

/**
 * Maps kinds to resources and back, from one discovery snapshot (client-go
 * `restmapper.NewDiscoveryRESTMapper` wrapped in kubectl's `ShortcutExpander`, plus the category
 * expander). Priority when a name matches several resources: core `v1` first, then each group's
 * preferred version in discovery order, then its other versions, then any version of each group.
 * Synchronous; {@link DeferredDiscoveryRESTMapper} reads discovery for you and re-reads once
 * when a name is not found.
 *
 * @example
 * ```ts
 * const mapper = DiscoveryRESTMapper.fromGroupsAndResources(await discovery.serverGroupsAndResources());
 * mapper.resourceFor({ group: '', version: '', resource: 'deploy' }); // apps/v1 deployments
 * mapper.restMapping({ group: 'apps', kind: 'Deployment' });        // { resource, scope: 'namespace', ... }
 * mapper.mappingFor('deploy.v1.apps');                              // kubectl's reading of an argument
 * ```
 */
export class DiscoveryRESTMapper {
  readonly #mappers: VersionMapper[] = [];
  readonly #resourcePriority: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  readonly #kindPriority: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  readonly #resources: GroupsAndResources['resources'];
  readonly #shortcuts: Shortcut[] = [];
  // Resource and singular names: all, and per group (a real name is never expanded as a short name).
  readonly #names = new Set<string>();
  readonly #namesByGroup = new Map<string, Set<string>>();
  readonly #expandShortcuts: boolean;
  readonly #warn: ((message: string) => void) | undefined;

  /** Builds the mapper from discovery's groups and resource lists (client-go `GetAPIGroupResources` + `NewDiscoveryRESTMapper`). */
  static fromGroupsAndResources(discovery: GroupsAndResources, options: DiscoveryRESTMapperOptions = {}): DiscoveryRESTMapper {
    return new DiscoveryRESTMapper(discovery, options);
  }

  /** Builds the mappings from one discovery snapshot (see {@link DiscoveryRESTMapper.fromGroupsAndResources}). */
  constructor(discovery: GroupsAndResources, options: DiscoveryRESTMapperOptions = {}) {
    this.#expandShortcuts = options.shortcuts !== false;
    this.#warn = options.warningHandler;
    this.#resources = discovery.resources;
    const byGroupVersion = new Map(discovery.resources.map((list) => [list.groupVersion, list]));
    const groupPriority: string[] = [];
    for (const group of discovery.groups) {
      groupPriority.push(group.name);
      const preferred = group.preferredVersion?.version ?? '';
      const servedVersion = (version: string) => byGroupVersion.has(group.versions.find((v) => v.version === version)?.groupVersion ?? '\0');
      if (preferred !== '' && servedVersion(preferred)) {
        this.#resourcePriority.push({ group: group.name, version: preferred });
        this.#kindPriority.push({ group: group.name, version: preferred });
      }
      for (const version of group.versions) {
        const list = byGroupVersion.get(version.groupVersion);
        if (!list) continue;
        if (version.version !== preferred) {
          this.#resourcePriority.push({ group: group.name, version: version.version });
          this.#kindPriority.push({ group: group.name, version: version.version });
        }
        const mapper = new VersionMapper(group.name, version.version);
        for (const resource of list.resources) {
          if (resource.name.includes('/')) continue;
          const scope = resource.namespaced ? 'namespace' : 'root';
          // Old servers list no singular: guess it from the kind, as client-go does.
          const singular = resource.singularName || guessKindToResource(resource.kind).singular;
          mapper.addSpecific(resource.kind.toLowerCase(), resource.name, singular, scope);
          mapper.addSpecific(resource.kind, resource.name, singular, scope);
          mapper.add(`${resource.kind}List`, scope);
        }
        mapper.add('List', 'root');
        this.#mappers.push(mapper);
      }
    }
    for (const group of groupPriority) {
      this.#resourcePriority.push({ group, version: ANY });
      this.#kindPriority.push({ group, version: ANY });
    }
    for (const list of discovery.resources) {
      const { group } = parseGroupVersion(list.groupVersion);
      const names = this.#namesByGroup.get(group) ?? new Set<string>();
      this.#namesByGroup.set(group, names);
      for (const resource of list.resources) {
        for (const name of [resource.name, resource.singularName]) {
          names.add(name);
          this.#names.add(name);
        }
        for (const shortName of resource.shortNames ?? []) this.#shortcuts.push({ short: { group, resource: shortName }, long: { group, resource: resource.name } });
      }
    }
  }

  /**
   * kubectl's short-name expansion (client-go `expandResourceShortcut`): a name that is a real
   * resource or singular name stays; else the first short name match in discovery order wins
   * (a warning names the others); else, with a group, a short name in a group it prefixes.
   * The version is dropped when a short name expands, as in client-go.
   */
  expandShortcut(resource: GroupVersionResource): GroupVersionResource {
    if (!this.#expandShortcuts) return resource;
    if ((resource.group === '' ? this.#names : this.#namesByGroup.get(resource.group))?.has(resource.resource)) return resource;
    let found: GroupResource | undefined;
    const warned = new Set<string>();
    for (const { short, long } of this.#shortcuts) {
      if (resource.group !== '' && resource.group !== short.group) continue;
      if (resource.resource !== short.resource) continue;
      if (!found) {
        found = long;
        continue;
      }
      if (long.group === found.group && long.resource === found.resource) continue;
      const name = formatGroupResource(long);
      if (!warned.has(name)) {
        warned.add(name);
        this.#warn?.(`short name "${resource.resource}" could also match lower priority resource ${name}`);
      }
    }
    if (found) return { group: found.group, version: '', resource: found.resource };
    if (resource.group === '') return resource;
    for (const { short, long } of this.#shortcuts) {
      if (short.group.startsWith(resource.group) && resource.resource === short.resource) return { ...resource, group: long.group, resource: long.resource };
    }
    return resource;
  }

  // MultiRESTMapper: every group-version's answers, de-duplicated, in discovery order.
  #union<T>(lookup: (mapper: VersionMapper) => T[], same: (a: T, b: T) => boolean): T[] {
    const all: T[] = [];
    for (const mapper of this.#mappers) {
      for (const item of lookup(mapper)) if (!all.some((existing) => same(existing, item))) all.push(item);
    }
    return all;
  }

  /** Every resource a partial resource matches, in discovery order (client-go `ResourcesFor`). Short names expand first. */
  resourcesFor(partial: GroupVersionResource): GroupVersionResource[] {
    const expanded = this.expandShortcut(partial);
    const all = this.#union((m) => m.resourcesFor(expanded), sameResource);
    if (all.length === 0) throw new NoResourceMatchError(expanded);
    return all;
  }

  /** The one resource a partial resource names, chosen by priority (client-go `ResourceFor`); {@link AmbiguousResourceError} when priority cannot choose. */
  resourceFor(partial: GroupVersionResource): GroupVersionResource {
    const all = this.resourcesFor(partial);
    const chosen = choose(all, this.#resourcePriority);
    if (!chosen) throw new AmbiguousResourceError(partial, { resources: all });
    return chosen;
  }

  /** Every kind a partial resource matches, in discovery order (client-go `KindsFor`). */
  kindsFor(partial: GroupVersionResource): GroupVersionKind[] {
    const expanded = this.expandShortcut(partial);
    const all = this.#union((m) => m.kindsFor(expanded), sameKind);
    if (all.length === 0) throw new NoResourceMatchError(expanded);
    return all;
  }

  /** The one kind a partial resource names, chosen by priority (client-go `KindFor`). */
  kindFor(partial: GroupVersionResource): GroupVersionKind {
    const all = this.kindsFor(partial);
    const chosen = choose(all, this.#kindPriority);
    if (!chosen) throw new AmbiguousResourceError(partial, { kinds: all });
    return chosen;
  }

  /** Every mapping of a kind (client-go `RESTMappings`): one per group-version serving it, or only the versions given. */
  restMappings(groupKind: GroupKind, ...versions: string[]): RESTMapping[] {
    const all = this.#union((m) => m.restMappings(groupKind, versions), (a, b) => sameKind(a.groupVersionKind, b.groupVersionKind));
    if (all.length === 0) throw new NoKindMatchError(groupKind, versions);
    return all;
  }

  /**
   * The mapping of a kind (client-go `RESTMapping`): the versions given come first, then the
   * priority order. Kinds match case-insensitively. {@link NoKindMatchError} when no resource
   * serves it, {@link AmbiguousKindError} when priority cannot choose.
   */
  restMapping(groupKind: GroupKind, ...versions: string[]): RESTMapping {
    const mappings = this.restMappings(groupKind, ...versions);
    const patterns = [...versions.map((version) => ({ group: groupKind.group, version })), ...this.#kindPriority];
    const chosen = choose(
      mappings.map((m) => ({ ...m.groupVersionKind, mapping: m })),
      patterns,
    );
    if (!chosen) throw new AmbiguousKindError({ ...groupKind, version: '' }, mappings.map((m) => m.groupVersionKind));
    return chosen.mapping;
  }

  /**
   * The singular of a resource name (`pods` → `pod`; client-go `ResourceSingularizer`), from the
   * first group-version in discovery order that serves it.
   */
  resourceSingularizer(resource: string): string {
    const expanded = this.expandShortcut({ group: '', version: '', resource });
    for (const mapper of this.#mappers) {
      const plurals = mapper.resourcesFor({ group: '', version: '', resource: expanded.resource });
      const singulars = new Set(plurals.map((plural) => mapper.singularOf(plural)?.resource).filter((s) => s !== undefined));
      if (singulars.size === 1) return [...singulars][0] as string;
      if (singulars.size > 1) throw new TypeError(`multiple possible singular resources (${[...singulars].join(', ')}) found for ${resource}`);
    }
    throw new NoResourceMatchError({ group: '', version: '', resource: expanded.resource });
  }

  /**
   * The group-resources in a category (`all`), in discovery order, each once (client-go's
   * discovery `CategoryExpander`); `undefined` when no resource declares the category.
   */
  expandCategory(category: string): GroupResource[] | undefined {
    const result: GroupResource[] = [];
    const seen = new Set<string>();
    for (const list of this.#resources) {
      const { group } = parseGroupVersion(list.groupVersion);
      for (const resource of list.resources) {
        if (!resource.categories?.includes(category)) continue;
        const key = `${resource.name}.${group}`;
        if (!seen.has(key)) result.push({ group, resource: resource.name });
        seen.add(key);
      }
    }
    return result.length > 0 ? result : undefined;
  }

  /**
   * What kubectl makes of a resource-or-kind argument (`kubectl get <arg>`; cli-runtime
   * `Builder.mappingFor`): `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy.v1.apps`,
   * `Deployment.v1.apps`, `Deployment.apps`. A resource reading wins over a kind reading.
   * Categories are not expanded here (see {@link expandCategory}).
   */
  mappingFor(arg: string): RESTMapping {
    const { fullySpecified, groupResource } = parseResourceArg(arg);
    let gvk: GroupVersionKind | undefined;
    if (fullySpecified && fullySpecified.resource !== '') gvk = this.#attempt(() => this.kindFor(fullySpecified));
    if (groupResource.resource !== '') gvk ??= this.#attempt(() => this.kindFor({ ...groupResource, version: '' }));
    if (gvk) return this.restMapping({ group: gvk.group, kind: gvk.kind }, gvk.version);
    const kindArg = parseKindArg(arg);
    const fullKind = kindArg.fullySpecified ?? { ...kindArg.groupKind, version: '' };
    if (fullKind.kind !== '') {
      const mapping = this.#attempt(() => this.restMapping({ group: fullKind.group, kind: fullKind.kind }, fullKind.version));
      if (mapping) return mapping;
    }
    try {
      return this.restMapping(kindArg.groupKind);
    } catch (error) {
      if (isNoMatchError(error)) {
        throw new NoResourceMatchError({ group: groupResource.group, version: '', resource: groupResource.resource }, `the server doesn't have a resource type "${groupResource.resource}"`);
      }
      throw error;
    }
  }

  #attempt<T>(lookup: () => T): T | undefined {
    try {
      return lookup();
    } catch {
      return undefined;
    }
  }

  /** The kind-to-resource priority patterns (`*` = any), for diagnostics. */
  get kindPriority(): readonly { group: string; version: string }[] {
    return this.#kindPriority;
  }
}

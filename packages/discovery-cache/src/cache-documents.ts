import type { APIGroup, APIGroupList, APIResource, APIResourceList, GroupVersionForDiscovery } from '@kgo/discovery';

/*
 * The JSON of kubectl's discovery cache files. client-go writes them with its LegacyCodec:
 * `{"kind":"APIGroupList","apiVersion":"v1","groups":[...]}` and
 * `{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[...]}`,
 * fields in Go's struct order, empty optional fields left out. kgo writes the same, and reads
 * anything else — a truncated file, another kind, a list of another group-version, a field of the
 * wrong type — as a miss, so a damaged or foreign file is fetched again, never trusted.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function parse(bytes: Uint8Array, kind: string): Json | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.kind !== kind || value.apiVersion !== 'v1') return undefined;
  return value;
}

function groupVersionForDiscovery(value: unknown): GroupVersionForDiscovery | undefined {
  if (!isObject(value) || typeof value.groupVersion !== 'string' || typeof value.version !== 'string') return undefined;
  return { groupVersion: value.groupVersion, version: value.version };
}

function group(value: unknown): APIGroup | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || !Array.isArray(value.versions)) return undefined;
  const versions: GroupVersionForDiscovery[] = [];
  for (const item of value.versions) {
    const version = groupVersionForDiscovery(item);
    if (!version) return undefined;
    versions.push(version);
  }
  const result: APIGroup = { name: value.name, versions };
  if (value.preferredVersion !== undefined) {
    const preferred = groupVersionForDiscovery(value.preferredVersion);
    if (!preferred) return undefined;
    result.preferredVersion = preferred;
  }
  return result;
}

function resource(value: unknown): APIResource | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || typeof value.kind !== 'string' || typeof value.namespaced !== 'boolean') return undefined;
  const { singularName = '', group = '', version = '', storageVersionHash = '' } = value;
  // Go writes a nil slice without omitempty as null.
  const verbs = value.verbs ?? [];
  const shortNames = value.shortNames ?? [];
  const categories = value.categories ?? [];
  if (typeof singularName !== 'string' || typeof group !== 'string' || typeof version !== 'string' || typeof storageVersionHash !== 'string') return undefined;
  if (!isStringArray(verbs) || !isStringArray(shortNames) || !isStringArray(categories)) return undefined;
  return {
    name: value.name,
    singularName,
    namespaced: value.namespaced,
    // Left out when empty, as Go's omitempty and DiscoveryClient do: a hit looks like a miss.
    ...(group ? { group } : {}),
    ...(version ? { version } : {}),
    kind: value.kind,
    verbs,
    ...(shortNames.length ? { shortNames } : {}),
    ...(categories.length ? { categories } : {}),
    ...(storageVersionHash ? { storageVersionHash } : {}),
  };
}

/** A `servergroups.json` file's group list, or `undefined` when the bytes are not one. */
export function decodeGroupList(bytes: Uint8Array): APIGroupList | undefined {
  const json = parse(bytes, 'APIGroupList');
  if (!json || !Array.isArray(json.groups)) return undefined;
  const groups: APIGroup[] = [];
  for (const item of json.groups) {
    const decoded = group(item);
    if (!decoded) return undefined;
    groups.push(decoded);
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/**
 * A `serverresources.json` file's resource list, or `undefined` when the bytes are not the list
 * of `groupVersion` (a file of another group-version is as foreign as garbage).
 */
export function decodeResourceList(bytes: Uint8Array, groupVersion: string): APIResourceList | undefined {
  const json = parse(bytes, 'APIResourceList');
  if (!json || json.groupVersion !== groupVersion) return undefined;
  // Go encodes an empty slice without omitempty as null.
  const items = json.resources ?? [];
  if (!Array.isArray(items)) return undefined;
  const resources: APIResource[] = [];
  for (const item of items) {
    const decoded = resource(item);
    if (!decoded) return undefined;
    resources.push(decoded);
  }
  // Shaped as DiscoveryClient returns lists from aggregated discovery, so a hit looks like a miss.
  return { groupVersion, resources };
}

/** `servergroups.json` as kubectl writes it. */
export function encodeGroupList(list: APIGroupList): Uint8Array {
  const groups = list.groups.map((g) => ({
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: v.groupVersion, version: v.version })),
    ...(g.preferredVersion ? { preferredVersion: { groupVersion: g.preferredVersion.groupVersion, version: g.preferredVersion.version } } : {}),
  }));
  return encoder.encode(`${JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups })}\n`);
}

/** `<group>/<version>/serverresources.json` as kubectl writes it. */
export function encodeResourceList(list: APIResourceList): Uint8Array {
  const resources = list.resources.map((r) => ({
    name: r.name,
    singularName: r.singularName ?? '',
    namespaced: r.namespaced,
    ...(r.group ? { group: r.group } : {}),
    ...(r.version ? { version: r.version } : {}),
    kind: r.kind,
    verbs: r.verbs ?? [],
    ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories?.length ? { categories: r.categories } : {}),
    ...(r.storageVersionHash ? { storageVersionHash: r.storageVersionHash } : {}),
  }));
  return encoder.encode(`${JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: list.groupVersion, resources })}\n`);
}

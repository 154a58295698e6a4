/*
 * The names the RESTMapper works with (apimachinery runtime/schema): group/version/resource and
 * group/version/kind, and kubectl's ways of writing them on the command line.
 */

/** A resource in a group-version (`{ group: 'apps', version: 'v1', resource: 'deployments' }`); `''` = unspecified in partial lookups. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** A kind in a group-version (`{ group: 'apps', version: 'v1', kind: 'Deployment' }`). */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A resource in a group, any version. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind in a group, any version. */
export interface GroupKind {
  group: string;
  kind: string;
}

const gv = (group: string, version: string) => (group === '' ? version : `${group}/${version}`);

/** `apps/v1, Resource=deployments` (apimachinery's `GroupVersionResource.String`). */
export const formatGroupVersionResource = (r: GroupVersionResource): string => `${r.group}/${r.version}, Resource=${r.resource}`;

/** `apps/v1, Kind=Deployment` (apimachinery's `GroupVersionKind.String`). */
export const formatGroupVersionKind = (k: GroupVersionKind): string => `${k.group}/${k.version}, Kind=${k.kind}`;

/** `deployments.apps`, or `pods` for the core group (apimachinery's `GroupResource.String`). */
export const formatGroupResource = (x: GroupResource): string => (x.group === '' ? x.resource : `${x.resource}.${x.group}`);

/** `Deployment.apps`, or `Pod` for the core group (apimachinery's `GroupKind.String`). */
export const formatGroupKind = (x: GroupKind): string => (x.group === '' ? x.kind : `${x.kind}.${x.group}`);

/** The `apiVersion` of a kind: `apps/v1`, or `v1` for the core group. */
export const apiVersionOf = (k: { group: string; version: string }): string => gv(k.group, k.version);

/** `deployments.apps` → `{ group: 'apps', resource: 'deployments' }`: everything after the first dot is the group. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/** `Deployment.apps` → `{ group: 'apps', kind: 'Deployment' }`. */
export function parseGroupKind(text: string): GroupKind {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', kind: text } : { group: text.slice(dot + 1), kind: text.slice(0, dot) };
}

/**
 * kubectl's resource argument (apimachinery `ParseResourceArg`): with two or more dots,
 * `resource.version.group` is also a fully specified candidate; always the group-resource reading.
 */
export function parseResourceArg(arg: string): { fullySpecified: GroupVersionResource | undefined; groupResource: GroupResource } {
  let fullySpecified: GroupVersionResource | undefined;
  const parts = splitN(arg, 3);
  if (parts.length === 3) fullySpecified = { resource: parts[0] as string, version: parts[1] as string, group: parts[2] as string };
  return { fullySpecified, groupResource: parseGroupResource(arg) };
}

/** kubectl's kind argument (apimachinery `ParseKindArg`): `Kind.version.group`, and the group-kind reading. */
export function parseKindArg(arg: string): { fullySpecified: GroupVersionKind | undefined; groupKind: GroupKind } {
  let fullySpecified: GroupVersionKind | undefined;
  const parts = splitN(arg, 3);
  if (parts.length === 3) fullySpecified = { kind: parts[0] as string, version: parts[1] as string, group: parts[2] as string };
  return { fullySpecified, groupKind: parseGroupKind(arg) };
}

// Go's strings.SplitN(s, ".", n): at most n parts, the last one keeps the remaining dots.
function splitN(text: string, n: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < n - 1) {
    const dot = rest.indexOf('.');
    if (dot < 0) break;
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  parts.push(rest);
  return parts;
}

/** A map key for a group/version/resource. */
export const resourceKey = (x: GroupVersionResource): string => `${x.group}/${x.version}/${x.resource}`;
/** A map key for a group/version/kind. */
export const kindKey = (x: GroupVersionKind): string => `${x.group}/${x.version}/${x.kind}`;
/** True when both name the same group/version/resource. */
export const sameResource = (a: GroupVersionResource, b: GroupVersionResource): boolean => a.group === b.group && a.version === b.version && a.resource === b.resource;
/** True when both name the same group/version/kind. */
export const sameKind = (a: GroupVersionKind, b: GroupVersionKind): boolean => a.group === b.group && a.version === b.version && a.kind === b.kind;

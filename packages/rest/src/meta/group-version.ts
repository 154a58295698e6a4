/*
 * apimachinery's schema package: the names of API groups, versions, kinds and resources, and
 * their string forms. Every kgo layer speaks these; they live here once.
 */

/** A group and version, e.g. `{ group: 'apps', version: 'v1' }`; the core group is `''`. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** A kind in a group-version: what an object's `apiVersion` + `kind` name (schema.GroupVersionKind). */
export interface GroupVersionKind extends GroupVersion {
  kind: string;
}

/** A resource in a group-version: what a URL path names (schema.GroupVersionResource), e.g. `apps/v1 deployments`. */
export interface GroupVersionResource extends GroupVersion {
  /** The plural, lowercase resource name (`deployments`). */
  resource: string;
}

/** A resource in a group, any version (schema.GroupResource). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind in a group, any version (schema.GroupKind). */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * Splits an `apiVersion` into group and version: `apps/v1` → `{ group: 'apps', version: 'v1' }`,
 * `v1` → the core group `''` (schema.ParseGroupVersion, stricter: an empty string or an empty
 * part is an error rather than the empty GroupVersion).
 */
export function parseApiVersion(apiVersion: string): GroupVersion {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  throw new TypeError(`unexpected apiVersion ${JSON.stringify(apiVersion)}: want "<version>" or "<group>/<version>"`);
}

/**
 * apimachinery's `schema.ParseGroupVersion`, exactly: `''` (or `/`) is the empty GroupVersion,
 * `v1` the core group, `apps/v1` a group and version; more than one `/` is an error. Prefer
 * {@link parseApiVersion} for an object's `apiVersion`, which also refuses empty parts.
 */
export function parseGroupVersion(groupVersion: string): GroupVersion {
  if (groupVersion === '' || groupVersion === '/') return { group: '', version: '' };
  const parts = groupVersion.split('/');
  if (parts.length === 1) return { group: '', version: groupVersion };
  if (parts.length === 2) return { group: parts[0] as string, version: parts[1] as string };
  throw new TypeError(`unexpected GroupVersion string: ${groupVersion} (expected <version> or <group>/<version>)`);
}

/** Joins a group and version into an `apiVersion` (`v1` for the core group). */
export function formatApiVersion({ group, version }: GroupVersion): string {
  return group === '' ? version : `${group}/${version}`;
}

/** client-go's `GroupVersionKind.String()`: `apps/v1, Kind=Deployment` (core: `/v1, Kind=Pod`). */
export function formatGroupVersionKind({ group, version, kind }: GroupVersionKind): string {
  return `${group}/${version}, Kind=${kind}`;
}

/** client-go's `GroupVersionResource.String()`: `apps/v1, Resource=deployments`. */
export function formatGroupVersionResource({ group, version, resource }: GroupVersionResource): string {
  return `${group}/${version}, Resource=${resource}`;
}

/** client-go's `GroupResource.String()`: `deployments.apps`, or `pods` for the core group. */
export function formatGroupResource({ group, resource }: GroupResource): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/** client-go's `GroupKind.String()`: `Deployment.apps`, or `Pod` for the core group. */
export function formatGroupKind({ group, kind }: GroupKind): string {
  return group === '' ? kind : `${kind}.${group}`;
}

/**
 * The kind of an object from its `apiVersion` and `kind` (TypeMeta), or an error naming what is
 * missing.
 */
export function groupVersionKindOf(object: { apiVersion?: string | undefined; kind?: string | undefined }): GroupVersionKind {
  if (!object.apiVersion || !object.kind) {
    throw new TypeError(`object has no ${object.apiVersion ? 'kind' : 'apiVersion'}: both are needed to know its type`);
  }
  return { ...parseApiVersion(object.apiVersion), kind: object.kind };
}

/**
 * schema.ParseGroupResource: `deployments.apps` → `{ group: 'apps', resource: 'deployments' }`,
 * `pods` → the core group. Everything after the first dot is the group.
 */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/**
 * schema.ParseResourceArg, the reading of `kubectl get <arg>`: `deploy.v1.apps` may be resource
 * `deploy` in version `v1` of group `apps` (returned as `fullySpecified`), and is always also
 * read as the group-resource `deploy` in group `v1.apps`. A RESTMapper tries the first, then the second.
 */
export function parseResourceArg(arg: string): { fullySpecified: GroupVersionResource | undefined; groupResource: GroupResource } {
  const parts = arg.split('.');
  const fullySpecified =
    parts.length >= 3 ? { resource: parts[0] as string, version: parts[1] as string, group: parts.slice(2).join('.') } : undefined;
  return { fullySpecified, groupResource: parseGroupResource(arg) };
}

/** schema.ParseGroupKind: `Deployment.apps` → `{ group: 'apps', kind: 'Deployment' }`. */
export function parseGroupKind(text: string): GroupKind {
  const { group, resource } = parseGroupResource(text);
  return { group, kind: resource };
}

/** schema.ParseKindArg: `Deployment.v1.apps` likewise, for kinds. */
export function parseKindArg(arg: string): { fullySpecified: GroupVersionKind | undefined; groupKind: GroupKind } {
  const { fullySpecified, groupResource } = parseResourceArg(arg);
  return {
    fullySpecified: fullySpecified && { group: fullySpecified.group, version: fullySpecified.version, kind: fullySpecified.resource },
    groupKind: { group: groupResource.group, kind: groupResource.resource },
  };
}

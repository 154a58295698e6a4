import type { GroupVersionKind, GroupVersionResource } from '@kgo/rest';

/*
 * Identity of the names the RESTMapper compares (the names themselves live in @kgo/rest's meta).
 */

/** True when both name the same group/version/resource. */
export const sameResource = (a: GroupVersionResource, b: GroupVersionResource): boolean => a.group === b.group && a.version === b.version && a.resource === b.resource;
/** True when both name the same group/version/kind. */
export const sameKind = (a: GroupVersionKind, b: GroupVersionKind): boolean => a.group === b.group && a.version === b.version && a.kind === b.kind;

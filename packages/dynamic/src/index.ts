/**
 * `@kgo/dynamic`: client-go's `dynamic` and `unstructured` for TypeScript. A DynamicClient over
 * any group/version/resource, custom resources included, with objects as plain JSON, and the
 * helpers to read, change and convert them. One explicit export list: the public API at a glance.
 *
 * @packageDocumentation
 */

// The client.
export { DynamicClient, type DynamicClientOptions } from './dynamic-client.ts';
export { type NamespacedResourceClient, ResourceClient } from './resource-client.ts';
export type {
  ApplyOptions,
  CallOptions,
  DynamicCreateOptions,
  DynamicDeleteCollectionOptions,
  DynamicDeleteOptions,
  DynamicGetOptions,
  DynamicListOptions,
  DynamicPatchOptions,
  DynamicUpdateOptions,
  ListAllOptions,
  OnExpired,
  SubresourceOption,
} from './options.ts';
export { DEFAULT_PAGE_SIZE, MAX_LIST_RESTARTS } from './list-pager.ts';

// Unstructured objects: nested fields, metadata, conversion.
export {
  type NestedResult,
  nestedBool,
  nestedField,
  nestedFloat64,
  nestedInt,
  nestedInt64,
  nestedMap,
  nestedSlice,
  nestedString,
  nestedStringMap,
  nestedStringSlice,
  removeNestedField,
  setNestedField,
  type Unstructured,
} from './unstructured.ts';
export {
  getAnnotations,
  getApiVersion,
  getDeletionTimestamp,
  getFinalizers,
  getGeneration,
  getKind,
  getLabels,
  getName,
  getNamespace,
  getOwnerReferences,
  getResourceVersion,
  getUid,
  setAnnotations,
  setApiVersion,
  setDeletionTimestamp,
  setFinalizers,
  setGeneration,
  setKind,
  setLabels,
  setName,
  setNamespace,
  setOwnerReferences,
  setResourceVersion,
  setUid,
} from './object-meta-accessors.ts';
export { type ExpectedType, fromUnstructured, toUnstructured } from './conversion.ts';

// Errors.
export { KindMismatchError, type ObjectType } from './errors/kind-mismatch-error.ts';

// Re-exported from @kgo/rest for convenience: the patch types and list shape every caller needs.
export { PatchType, type UnstructuredList } from '@kgo/rest';

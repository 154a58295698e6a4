/**
 * `@kgo/dynamic`: client-go's `dynamic` and `unstructured` for TypeScript. A DynamicClient over
 * any group/version/resource, custom resources included, with objects as plain JSON, and the
 * helpers to read, change and convert them. One explicit export list: the public API at a glance.
 *
 * @packageDocumentation
 */

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

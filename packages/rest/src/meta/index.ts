/**
 * The shared vocabulary of every kgo layer (what apimachinery is to client-go and kube-core to
 * kube-rs): group/version/kind/resource names, object and list metadata, Status, request option
 * types and the Unstructured object shape. Also published as `@kgo/rest/meta`.
 *
 * @packageDocumentation
 */
export {
  formatApiVersion,
  formatGroupKind,
  formatGroupResource,
  formatGroupVersionKind,
  formatGroupVersionResource,
  type GroupKind,
  type GroupResource,
  type GroupVersion,
  type GroupVersionKind,
  type GroupVersionResource,
  groupVersionKindOf,
  parseApiVersion,
  parseGroupKind,
  parseGroupResource,
  parseGroupVersion,
  parseKindArg,
  parseResourceArg,
} from './group-version.ts';
export type { KubeList, KubeObject, ListMeta, ManagedFieldsEntry, ObjectMeta, OwnerReference, TypeMeta } from './object-meta.ts';
export type {
  CreateOptions,
  DeleteOptions,
  DryRun,
  FieldValidation,
  GetOptions,
  ListOptions,
  PatchOptions,
  Preconditions,
  PropagationPolicy,
  QueryOptions,
  QueryOptionsFor,
  ResourceVersionMatch,
  UpdateOptions,
} from './options.ts';
export { isStatusObject, type Status, type StatusCause, type StatusDetails, StatusReason } from './status.ts';
export type { Unstructured, UnstructuredList } from './unstructured.ts';

/*
 * The metadata every Kubernetes object and list carries (apimachinery's metav1 ObjectMeta,
 * ListMeta, TypeMeta, OwnerReference). Timestamps are RFC 3339 strings, as on the wire.
 */

/** `apiVersion` and `kind`: which type an object is (metav1.TypeMeta). */
export interface TypeMeta {
  apiVersion?: string | undefined;
  kind?: string | undefined;
}

/** A reference from an object to its owner, for garbage collection (metav1.OwnerReference). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** The owner is the managing controller. */
  controller?: boolean | undefined;
  /** Foreground deletion waits for this dependent before removing the owner. */
  blockOwnerDeletion?: boolean | undefined;
}

/** One field manager's record of the fields it set (metav1.ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager?: string | undefined;
  /** `Apply` (server-side apply) or `Update`; a string, as the generated types of @kgo/typed have it, so their objects fit here. */
  operation?: string | undefined;
  apiVersion?: string | undefined;
  time?: string | undefined;
  fieldsType?: string | undefined;
  fieldsV1?: Record<string, unknown> | undefined;
  subresource?: string | undefined;
}

/** Metadata of every persisted object (metav1.ObjectMeta). */
export interface ObjectMeta {
  name?: string | undefined;
  /** Prefix for a server-generated name, when `name` is empty on create. */
  generateName?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  /** Opaque version for optimistic concurrency and watches; compare only for equality. */
  resourceVersion?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  deletionTimestamp?: string | undefined;
  deletionGracePeriodSeconds?: number | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?: OwnerReference[] | undefined;
  finalizers?: string[] | undefined;
  managedFields?: ManagedFieldsEntry[] | undefined;
  /** Deprecated and no longer set by the server. */
  selfLink?: string | undefined;
}

/** Metadata of a list (metav1.ListMeta). */
export interface ListMeta {
  resourceVersion?: string | undefined;
  /** Token for the next page; empty or absent on the last page. */
  continue?: string | undefined;
  /** Items left after this page, when the server could count them. */
  remainingItemCount?: number | undefined;
  selfLink?: string | undefined;
}

/** Any Kubernetes object: TypeMeta plus ObjectMeta (kube-rs's `Resource`, client-go's `metav1.Object`). */
export interface KubeObject extends TypeMeta {
  metadata?: ObjectMeta | undefined;
}

/** A list response (`ConfigMapList`, …): items of `T` and the list's metadata. */
export interface KubeList<T> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

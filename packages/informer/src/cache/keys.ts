/*
 * Store keys: `namespace/name` for namespaced objects, `name` for cluster-scoped ones (client-go's
 * `MetaNamespaceKeyFunc`), and tombstones keyed by the key they carry
 * (`DeletionHandlingMetaNamespaceKeyFunc`).
 */
import type { KubeObject } from '@kgo/rest';
import { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/** Computes an object's store key. */
export type KeyFunc<T> = (obj: T | DeletedFinalStateUnknown<T>) => string;

/**
 * `namespace/name`, or `name` when the object has no namespace; a tombstone's own key. Throws a
 * TypeError for an object without `metadata.name`.
 */
export function metaNamespaceKeyFunc<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): string {
  if (DeletedFinalStateUnknown.isInstance(obj)) return obj.key;
  const name = obj.metadata?.name;
  if (!name) throw new TypeError(`cannot compute a store key: the object (kind ${JSON.stringify(obj.kind ?? 'unknown')}) has no metadata.name`);
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** The key of `name` in `namespace` (`''` for cluster-scoped). */
export function namespaceKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key into namespace (`''` if none) and name (client-go's `SplitMetaNamespaceKey`). */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: key };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new TypeError(`unexpected key format: ${JSON.stringify(key)} (expected "name" or "namespace/name")`);
}

/*
 * Getters and setters for the type and object metadata of any object (client-go's
 * `Unstructured.GetName()`, `SetLabels()`, …), as functions over plain objects rather than a
 * wrapper class: what the DynamicClient returns and sends stays plain JSON (no wrapping and
 * unwrapping, safe for structuredClone and JSON.stringify), the same functions work on typed
 * objects (a `Pod` interface) and unused ones are tree-shaken away.
 *
 * Getters return `undefined` for an unset field (client-go: the zero value) and throw a
 * TypeError naming the path when the field holds the wrong type (client-go: silently the zero
 * value). Maps and lists come back as copies, so changing them never changes the object; set
 * them back with the setter. Setters create `metadata` when needed; `undefined` removes the
 * field, and so does `''` for the string fields client-go removes on empty.
 */
import type { KubeObject, OwnerReference } from '@kgo/rest';
import { accessorError, isJsonObject, nestedInt, nestedSlice, nestedString, nestedStringMap, nestedStringSlice, removeNestedField, setNestedField } from './unstructured.ts';

function getString(obj: KubeObject, ...fields: string[]): string | undefined {
  return nestedString(obj, ...fields).value;
}

function setOrRemove(obj: KubeObject, value: unknown, removeWhen: (value: unknown) => boolean, ...fields: string[]): void {
  if (removeWhen(value)) removeNestedField(obj, ...fields);
  else setNestedField(obj, value, ...fields);
}

const isUnset = (value: unknown) => value === undefined;
const isUnsetOrEmpty = (value: unknown) => value === undefined || value === '';

/** `apiVersion` (`apps/v1`). */
export function getApiVersion(obj: KubeObject): string | undefined {
  return getString(obj, 'apiVersion');
}
/** Sets `apiVersion`; `undefined` removes it. */
export function setApiVersion(obj: KubeObject, apiVersion: string | undefined): void {
  setOrRemove(obj, apiVersion, isUnset, 'apiVersion');
}

/** `kind` (`Deployment`). */
export function getKind(obj: KubeObject): string | undefined {
  return getString(obj, 'kind');
}
/** Sets `kind`; `undefined` removes it. */
export function setKind(obj: KubeObject, kind: string | undefined): void {
  setOrRemove(obj, kind, isUnset, 'kind');
}

/** `metadata.name`. */
export function getName(obj: KubeObject): string | undefined {
  return getString(obj, 'metadata', 'name');
}
/** Sets `metadata.name`; `''` or `undefined` removes it. */
export function setName(obj: KubeObject, name: string | undefined): void {
  setOrRemove(obj, name, isUnsetOrEmpty, 'metadata', 'name');
}

/** `metadata.namespace`. */
export function getNamespace(obj: KubeObject): string | undefined {
  return getString(obj, 'metadata', 'namespace');
}
/** Sets `metadata.namespace`; `''` or `undefined` removes it. */
export function setNamespace(obj: KubeObject, namespace: string | undefined): void {
  setOrRemove(obj, namespace, isUnsetOrEmpty, 'metadata', 'namespace');
}

/** `metadata.uid`. */
export function getUid(obj: KubeObject): string | undefined {
  return getString(obj, 'metadata', 'uid');
}
/** Sets `metadata.uid`; `''` or `undefined` removes it. */
export function setUid(obj: KubeObject, uid: string | undefined): void {
  setOrRemove(obj, uid, isUnsetOrEmpty, 'metadata', 'uid');
}

/** `metadata.resourceVersion` (opaque: compare only for equality). */
export function getResourceVersion(obj: KubeObject): string | undefined {
  return getString(obj, 'metadata', 'resourceVersion');
}
/** Sets `metadata.resourceVersion`; `''` or `undefined` removes it (an update then skips the optimistic-concurrency check). */
export function setResourceVersion(obj: KubeObject, resourceVersion: string | undefined): void {
  setOrRemove(obj, resourceVersion, isUnsetOrEmpty, 'metadata', 'resourceVersion');
}

/** `metadata.generation`: bumped by the server on every change of the spec. */
export function getGeneration(obj: KubeObject): number | undefined {
  return nestedInt(obj, 'metadata', 'generation').value;
}
/** Sets `metadata.generation`; `undefined` removes it. */
export function setGeneration(obj: KubeObject, generation: number | undefined): void {
  if (generation !== undefined && !Number.isSafeInteger(generation)) throw new TypeError(`generation must be an integer, got ${generation}`);
  setOrRemove(obj, generation, isUnset, 'metadata', 'generation');
}

/** `metadata.labels`, as a copy; `{}` when unset. */
export function getLabels(obj: KubeObject): Record<string, string> {
  return { ...nestedStringMap(obj, 'metadata', 'labels').value };
}
/** Replaces `metadata.labels`; `undefined` removes them. */
export function setLabels(obj: KubeObject, labels: Record<string, string> | undefined): void {
  setOrRemove(obj, labels && { ...labels }, isUnset, 'metadata', 'labels');
}

/** `metadata.annotations`, as a copy; `{}` when unset. */
export function getAnnotations(obj: KubeObject): Record<string, string> {
  return { ...nestedStringMap(obj, 'metadata', 'annotations').value };
}
/** Replaces `metadata.annotations`; `undefined` removes them. */
export function setAnnotations(obj: KubeObject, annotations: Record<string, string> | undefined): void {
  setOrRemove(obj, annotations && { ...annotations }, isUnset, 'metadata', 'annotations');
}

/** `metadata.finalizers`, as a copy; `[]` when unset. */
export function getFinalizers(obj: KubeObject): string[] {
  return [...(nestedStringSlice(obj, 'metadata', 'finalizers').value ?? [])];
}
/** Replaces `metadata.finalizers`; `undefined` removes them. */
export function setFinalizers(obj: KubeObject, finalizers: readonly string[] | undefined): void {
  setOrRemove(obj, finalizers && [...finalizers], isUnset, 'metadata', 'finalizers');
}

/**
 * `metadata.ownerReferences`, as copies; `[]` when unset. A reference that is not an object, or
 * whose fields have the wrong types, is a TypeError naming its index.
 */
export function getOwnerReferences(obj: KubeObject): OwnerReference[] {
  const references = nestedSlice(obj, 'metadata', 'ownerReferences').value ?? [];
  return references.map((reference, i) => {
    const path = `.metadata.ownerReferences[${i}]`;
    if (!isJsonObject(reference)) throw accessorError(path, reference, 'map[string]interface{}');
    const read = (field: keyof OwnerReference, type: 'string' | 'boolean') => {
      const value = reference[field];
      if (value !== undefined && typeof value !== type) throw accessorError(`${path}.${field}`, value, type === 'string' ? 'string' : 'bool');
      return value;
    };
    const result: OwnerReference = {
      apiVersion: (read('apiVersion', 'string') as string | undefined) ?? '',
      kind: (read('kind', 'string') as string | undefined) ?? '',
      name: (read('name', 'string') as string | undefined) ?? '',
      uid: (read('uid', 'string') as string | undefined) ?? '',
    };
    const controller = read('controller', 'boolean') as boolean | undefined;
    const blockOwnerDeletion = read('blockOwnerDeletion', 'boolean') as boolean | undefined;
    if (controller !== undefined) result.controller = controller;
    if (blockOwnerDeletion !== undefined) result.blockOwnerDeletion = blockOwnerDeletion;
    return result;
  });
}
/** Replaces `metadata.ownerReferences`; `undefined` removes them. */
export function setOwnerReferences(obj: KubeObject, references: readonly OwnerReference[] | undefined): void {
  setOrRemove(obj, references && references.map((reference) => ({ ...reference })), isUnset, 'metadata', 'ownerReferences');
}

/**
 * `metadata.deletionTimestamp` (RFC 3339, as on the wire): set by the server once a delete was
 * accepted and finalizers still hold the object.
 */
export function getDeletionTimestamp(obj: KubeObject): string | undefined {
  return getString(obj, 'metadata', 'deletionTimestamp');
}
/**
 * Sets `metadata.deletionTimestamp`; a `Date` is written as metav1.Time writes it (UTC, whole
 * seconds: `2026-01-02T03:04:05Z`); `undefined` removes it.
 */
export function setDeletionTimestamp(obj: KubeObject, timestamp: Date | string | undefined): void {
  const value = timestamp instanceof Date ? formatTime(timestamp) : timestamp;
  setOrRemove(obj, value, isUnset, 'metadata', 'deletionTimestamp');
}

/** metav1.Time's JSON form: RFC 3339 in UTC, whole seconds. */
function formatTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('deletionTimestamp must be a valid Date');
  return `${date.toISOString().slice(0, 19)}Z`;
}

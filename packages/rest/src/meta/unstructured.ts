import type { KubeList, ObjectMeta } from './object-meta.ts';

/**
 * Any Kubernetes object as plain JSON (apimachinery's `unstructured.Unstructured` content): what
 * the DynamicClient returns and what the typed clients' objects are too, so either can be
 * handed to the other.
 */
export interface Unstructured {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata?: ObjectMeta | undefined;
  [field: string]: unknown;
}

/** A list of {@link Unstructured} objects (unstructured.UnstructuredList). */
export type UnstructuredList = KubeList<Unstructured>;

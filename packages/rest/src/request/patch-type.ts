/** The four patch content types the API server accepts, as client-go's `types.PatchType`. */
export const PatchType = {
  /** RFC 6902 JSON patch: a list of operations. */
  JSON: 'application/json-patch+json',
  /** RFC 7386 JSON merge patch. */
  Merge: 'application/merge-patch+json',
  /** Kubernetes strategic merge patch (built-in types only). */
  StrategicMerge: 'application/strategic-merge-patch+json',
  /** Server-side apply: send the fields you own; needs `fieldManager`. */
  Apply: 'application/apply-patch+yaml',
} as const;

/** One of {@link PatchType}'s content types. */
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

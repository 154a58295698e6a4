/** One resource a group-version serves (apimachinery `metav1.APIResource`). */
export interface APIResource {
  /** The plural resource name (`deployments`), or `<resource>/<subresource>` (`deployments/scale`). */
  name: string;
  /** The singular name (`deployment`); may be `''` on old servers and for some subresources. */
  singularName: string;
  /** True for namespaced resources, false for cluster-scoped ones. */
  namespaced: boolean;
  /** Group of the resource's kind, when it differs from the list's group-version (e.g. `autoscaling` for `deployments/scale`); aggregated discovery always sets it. */
  group?: string;
  /** Version of the resource's kind, when it differs from the list's group-version; aggregated discovery always sets it. */
  version?: string;
  /** The kind (`Deployment`; `Scale` for `deployments/scale`). */
  kind: string;
  /** Verbs the resource supports (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, ...). */
  verbs: string[];
  /** Short names kubectl accepts (`deploy`). */
  shortNames?: string[];
  /** Categories the resource belongs to (`all`). */
  categories?: string[];
  /** A hash of the storage version, to detect storage migrations; not for ordering. */
  storageVersionHash?: string;
}

/** The resources of one group-version (`GET /api/v1`, `GET /apis/<group>/<version>`) (`metav1.APIResourceList`). */
export interface APIResourceList {
  kind?: string;
  apiVersion?: string;
  /** `<group>/<version>`, or `v1` for the core group. */
  groupVersion: string;
  resources: APIResource[];
}

import { formatGroupVersionKind, type GroupVersionKind, type GroupVersionResource, type HttpClient, isNotFound, RestClient } from '@kgo/rest';

/** Where objects of a kind live: the resource to address, and whether it is namespaced. */
export interface ResourceMapping {
  resource: GroupVersionResource;
  namespaced: boolean;
}

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * A tiny kind → resource mapper over the server's discovery documents (`/api/v1`,
 * `/apis/<group>/<version>`), standing in for @kgo/discovery's RESTMapper. A kind it does not
 * find yet (a CRD applied a moment ago) is looked up again until `timeoutMs`.
 */
export function discoveryMapper(http: HttpClient, timeoutMs = 30_000): (gvk: GroupVersionKind) => Promise<ResourceMapping> {
  const root = new RestClient(http);
  const documents = new Map<string, Promise<APIResourceList | undefined>>();
  const fetchDocument = (gvk: GroupVersionKind) =>
    root
      .get()
      .absPath(gvk.group ? `/apis/${gvk.group}/${gvk.version}` : `/api/${gvk.version}`)
      .do()
      .into<APIResourceList>()
      .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));

  return async (gvk) => {
    const key = `${gvk.group}/${gvk.version}`;
    const deadline = Date.now() + timeoutMs;
    while (true) {
      let document = documents.get(key);
      if (!document) documents.set(key, (document = fetchDocument(gvk)));
      // Subresources (`widgets/status`) share the kind of their parent: skip them.
      const found = (await document)?.resources.find((resource) => resource.kind === gvk.kind && !resource.name.includes('/'));
      if (found) return { resource: { group: gvk.group, version: gvk.version, resource: found.name }, namespaced: found.namespaced };
      documents.delete(key);
      if (Date.now() > deadline) throw new Error(`no resource serves ${formatGroupVersionKind(gvk)} (looked for ${timeoutMs} ms)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
}

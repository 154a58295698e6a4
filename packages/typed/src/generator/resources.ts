import { type OpenApiDocument, type Operation, type Parameter, refName } from './openapi.ts';

/*
 * Reads the resources of one group-version from its OpenAPI paths: which verbs the server serves
 * for each resource, and its subresources (derived from the paths, not hand-listed). Deprecated
 * `/watch/` paths are skipped (watches use the list path with `watch=true`), and so are `connect`
 * actions (exec, attach, port-forward, proxy), which need a streaming protocol kgo does not speak yet.
 */

/** A subresource operation: `scale` GET, `eviction` POST, `log` GET (a byte stream). */
export interface SubresourceOperation {
  method: 'get' | 'put' | 'patch' | 'post';
  /** Schema name of the request body, for put/post. */
  requestType: string | undefined;
  /** Schema name of the JSON response; undefined for a byte stream (logs). */
  responseType: string | undefined;
  /** Query parameters beyond the standard ones (`container`, `follow`, … of pod logs). */
  parameters: Parameter[];
}

/** One resource of a group-version. */
export interface Resource {
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Schema name of the object type. */
  itemType: string;
  /** Schema name of the list type, when the resource can be listed. */
  listType: string | undefined;
  /** Verbs on the collection and on one object: list, create, deletecollection, get, update, patch, delete. */
  verbs: Set<string>;
  subresources: Map<string, SubresourceOperation[]>;
}

const standardQuery = new Set(['pretty', 'dryRun', 'fieldManager', 'fieldValidation', 'force', 'resourceVersion', 'resourceVersionMatch']);
const methods = ['get', 'put', 'patch', 'post', 'delete'] as const;

/** The schema a body names: its JSON content's, else its wildcard content's (request bodies). */
function jsonSchemaName(content: Record<string, { schema?: { $ref?: string } }> | undefined): string | undefined {
  return refName(content?.['application/json']?.schema ?? content?.['*/*']?.schema);
}

/** The resources of one group-version document, sorted by plural name. */
export function readResources(document: OpenApiDocument, apiPrefix: string): Resource[] {
  const resources = new Map<string, Resource>();
  const pattern = new RegExp(`^${apiPrefix.replace(/[.]/g, '\\.')}/(namespaces/\\{namespace\\}/)?([a-z0-9]+)(/\\{name\\}(/([a-z0-9]+))?)?$`);
  for (const path of Object.keys(document.paths).sort()) {
    const match = pattern.exec(path);
    if (!match) continue;
    const [, namespacedPart, plural = '', itemPart, , subresource] = match;
    const item = itemPart !== undefined;
    for (const method of methods) {
      const operation = document.paths[path]?.[method] as Operation | undefined;
      const action = operation?.['x-kubernetes-action'];
      if (!operation || !action || action === 'connect' || action.startsWith('watch')) continue;
      const gvk = operation['x-kubernetes-group-version-kind'];
      let resource = resources.get(plural);
      if (!resource && !subresource && gvk) {
        resource = { plural, kind: gvk.kind, namespaced: false, itemType: '', listType: undefined, verbs: new Set(), subresources: new Map() };
        resources.set(plural, resource);
      }
      if (!resource) continue;
      // The all-namespaces list path (`/apis/apps/v1/deployments`) names a namespaced resource too.
      if (namespacedPart) resource.namespaced = true;
      const requestType = jsonSchemaName(operation.requestBody?.content);
      const responseType = jsonSchemaName(operation.responses?.['200']?.content) ?? jsonSchemaName(operation.responses?.['201']?.content);
      if (subresource) {
        const operations = resource.subresources.get(subresource) ?? [];
        const pathParameters = (document.paths[path]?.parameters ?? []) as Parameter[];
        const parameters = [...pathParameters, ...(operation.parameters ?? [])].filter((parameter) => parameter.in === 'query' && !standardQuery.has(parameter.name));
        operations.push({ method: method as SubresourceOperation['method'], requestType, responseType, parameters });
        resource.subresources.set(subresource, operations);
        continue;
      }
      const verb = item ? { get: 'get', put: 'update', patch: 'patch', delete: 'delete', post: 'create' }[method] : action === 'post' ? 'create' : action;
      resource.verbs.add(verb);
      if (item && method === 'get' && responseType) resource.itemType = responseType;
      if (!item && action === 'list' && responseType) resource.listType = responseType;
      if (!item && action === 'post' && !resource.itemType) resource.itemType = requestType ?? responseType ?? '';
    }
  }
  for (const resource of resources.values()) {
    if (!resource.itemType) throw new Error(`${apiPrefix}/${resource.plural}: no object type found in its operations`);
  }
  return [...resources.values()];
}

import { docComment, groupAccessor, pascal, propertyKey, resourceAccessor } from './naming.ts';
import type { Parameter } from './openapi.ts';
import type { Resource, SubresourceOperation } from './resources.ts';
import { typeExpression, type TypeResolver } from './emit-types.ts';

/** What the client module of one group-version needs to know. */
export interface ClientModule {
  /** Module path (`apps/v1`). */
  module: string;
  group: string;
  version: string;
  resources: Resource[];
  /** Resolves a schema name to a TypeScript name in this module, importing it when needed. */
  resolve: TypeResolver;
  /** The module specifier of the runtime file (`apply-configuration`, `resource-client`): relative for built-ins, `@kgo/typed` for CRDs. */
  runtime: (file: 'apply-configuration' | 'client-set' | 'resource-client') => string;
}

interface Method {
  name: string;
  code: string;
}

/** The generated methods of one subresource, named `<verb><Subresource>` (`getScale`, `createEviction`). */
function subresourceMethods(resource: Resource, subresource: string, operations: SubresourceOperation[], module: ClientModule): Method[] {
  const methods: Method[] = [];
  const sub = pascal(subresource);
  const quoted = JSON.stringify(subresource);
  for (const operation of operations) {
    const response = operation.responseType ? module.resolve(operation.responseType) : undefined;
    const request = operation.requestType ? module.resolve(operation.requestType) : 'unknown';
    const path = `${resource.plural}/{name}/${subresource}`;
    if (subresource === 'status' && operation.method === 'put') continue; // updateStatus comes from ResourceClient
    if (operation.method === 'get' && !response) {
      const optionsType = `${resource.kind}${sub}Options`;
      methods.push({
        name: `get${sub}`,
        code: `${docComment([`GET ${path}, as a byte stream.`], '  ')}  get${sub}(name: string, options: ${optionsType} = {}): Promise<ReadableStream<Uint8Array>> {\n    return this.streamSubresource(name, ${quoted}, options);\n  }\n`,
      });
      continue;
    }
    const result = response ?? 'unknown';
    switch (operation.method) {
      case 'get':
        methods.push({
          name: `get${sub}`,
          code: `${docComment([`GET ${path}.`], '  ')}  get${sub}(name: string, options: GetOptions = {}): Promise<${result}> {\n    return this.getSubresource<${result}>(name, ${quoted}, options);\n  }\n`,
        });
        break;
      case 'put':
        methods.push({
          name: `update${sub}`,
          code: `${docComment([`PUT ${path}.`], '  ')}  update${sub}(name: string, body: ${request}, options: UpdateOptions = {}): Promise<${result}> {\n    return this.updateSubresource<${result}>(name, ${quoted}, body, options);\n  }\n`,
        });
        break;
      case 'post':
        methods.push({
          name: `create${sub}`,
          code: `${docComment([`POST ${path}.`], '  ')}  create${sub}(name: string, body: ${request}, options: CreateOptions = {}): Promise<${result}> {\n    return this.createSubresource<${result}>(name, ${quoted}, body, options);\n  }\n`,
        });
        break;
      case 'patch':
        methods.push({
          name: `patch${sub}`,
          code: `${docComment([`PATCH ${path} with any of the four patch types.`], '  ')}  patch${sub}(name: string, type: PatchType, patch: unknown, options: PatchOptions = {}): Promise<${result}> {\n    return this.patchSubresource<${result}>(name, ${quoted}, type, patch, options);\n  }\n`,
        });
        break;
    }
  }
  return methods;
}

/** The options interface of a streaming subresource's query parameters (pod logs). */
function streamOptions(resource: Resource, subresource: string, parameters: Parameter[], resolve: TypeResolver): string {
  const fields = parameters
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((parameter) => `${docComment([parameter.description], '  ')}  ${propertyKey(parameter.name)}?: ${typeExpression(parameter.schema, resolve, '  ')} | undefined;\n`)
    .join('');
  return `${docComment([`Query options of GET ${resource.plural}/{name}/${subresource}.`])}export interface ${resource.kind}${pascal(subresource)}Options {\n${fields}}\n`;
}

/** The client module of one group-version: apply configuration types, one class per resource, the group client. */
export function emitClientModule(module: ClientModule): { code: string; exports: string[] } {
  const { group, version } = module;
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const groupClient = `${pascal(groupAccessor(module.module))}Client`;
  const parts: string[] = [];
  const exports: string[] = [];
  const accessors: string[] = [];
  let anyApply = false;
  for (const resource of [...module.resources].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const item = module.resolve(resource.itemType);
    const list = resource.listType ? module.resolve(resource.listType) : 'never';
    const applyType = `${resource.kind}Apply`;
    const clientClass = `${resource.kind}Client`;
    const interfaceType = `${resource.kind}Interface`;
    const verbs = new Set(['namespace']);
    const add = (...names: string[]) => names.forEach((name) => verbs.add(name));
    if (resource.verbs.has('get')) add('get');
    if (resource.verbs.has('list')) add('list', 'watch');
    if (resource.verbs.has('create')) add('create');
    if (resource.verbs.has('update')) add('update');
    if (resource.verbs.has('delete')) add('delete');
    if (resource.verbs.has('deletecollection')) add('deleteCollection');
    if (resource.verbs.has('patch')) add('patch', 'apply');
    const methods: Method[] = [];
    for (const [subresource, operations] of [...resource.subresources].sort(([a], [b]) => a.localeCompare(b))) {
      if (subresource === 'status') {
        if (operations.some((operation) => operation.method === 'put')) add('updateStatus');
        if (operations.some((operation) => operation.method === 'patch')) add('applyStatus');
      }
      const stream = operations.find((operation) => operation.method === 'get' && !operation.responseType);
      if (stream) {
        parts.push(streamOptions(resource, subresource, stream.parameters, module.resolve));
        exports.push(`${resource.kind}${pascal(subresource)}Options`);
      }
      methods.push(...subresourceMethods(resource, subresource, operations, module));
    }
    for (const method of methods) add(method.name);
    const hasApply = verbs.has('apply') || verbs.has('applyStatus');
    anyApply ||= hasApply;
    if (hasApply) {
      parts.push(
        `${docComment([`Apply configuration of a ${resource.kind} (${apiVersion}): the fields your field manager owns, for server-side apply.`])}export type ${applyType} = ApplyOf<${item}, ${JSON.stringify(apiVersion)}, ${JSON.stringify(resource.kind)}>;\n`,
      );
      exports.push(applyType);
    }
    parts.push(
      `${docComment([`The client of ${resource.plural} (${apiVersion}, ${resource.namespaced ? 'namespaced' : 'cluster-scoped'}).`])}export class ${clientClass} extends ResourceClient<${item}, ${list}${hasApply ? `, ${applyType}` : ''}> {\n${methods.map((method) => method.code).join('\n')}}\n`,
    );
    parts.push(
      `${docComment([`The verbs the server serves for ${resource.plural}.`])}export type ${interfaceType} = Pick<${clientClass}, ${[...verbs].map((verb) => JSON.stringify(verb)).join(' | ')}>;\n`,
    );
    exports.push(clientClass, interfaceType);
    const descriptor = `{ resource: ${JSON.stringify(resource.plural)}, kind: ${JSON.stringify(resource.kind)}, namespaced: ${resource.namespaced} }`;
    const accessor = resourceAccessor(resource.plural, resource.kind);
    accessors.push(
      resource.namespaced
        ? `${docComment([`${resource.plural} in \`namespace\` (\`''\`: all namespaces, for list and watch).`], '  ')}  ${accessor}(namespace: string): ${interfaceType} {\n    return new ${clientClass}(this.#rest, ${descriptor}, namespace);\n  }\n`
        : `${docComment([`${resource.plural} (cluster-scoped).`], '  ')}  ${accessor}(): ${interfaceType} {\n    return new ${clientClass}(this.#rest, ${descriptor});\n  }\n`,
    );
  }
  const factory = groupAccessor(module.module);
  parts.push(
    `${docComment([
      `The ${apiVersion} client (client-go's \`${pascal(factory)}Client\`): one accessor per resource, over one RestClient.`,
      `Made from a RestConfig it owns its HttpClient (close it with \`close()\`); made over a shared HttpClient it shares that client's pool and rate limiter.`,
    ])}export class ${groupClient} {\n  /** The HttpClient this client sends through. */\n  readonly http: HttpClient;\n  readonly #rest: RestClient;\n\n  /** @param options \`protobuf\`: a codec (\`@kgo/typed/<group>/<version>/protobuf\`) to prefer protobuf on the wire. */\n  constructor(configOrHttp: RestConfig | HttpClient, options: GroupClientOptions = {}) {\n    this.#rest = new RestClient(configOrHttp, { groupVersion: { group: ${JSON.stringify(group)}, version: ${JSON.stringify(version)} }, protobuf: options.protobuf });\n    this.http = this.#rest.http;\n  }\n\n  /**\n   * This client over the same HttpClient with another protobuf codec (\`null\`: none): for one\n   * call, \`client.withProtobuf(codec).<resource>(…).list()\`.\n   */\n  withProtobuf(codec: ProtobufCodec | null): ${groupClient} {\n    return new ${groupClient}(this.http, { protobuf: codec ?? undefined });\n  }\n\n${accessors.join('\n')}\n  /** Closes the HttpClient when this client made it. */\n  close(): Promise<void> {\n    return this.#rest.close();\n  }\n}\n`,
  );
  parts.push(
    `${docComment([`The ${apiVersion} entry of a ClientSet: \`createClientSet(config, { ${factory} })\`.`])}export const ${factory} = (http: HttpClient, options?: GroupClientOptions): ${groupClient} => new ${groupClient}(http, options);\n`,
  );
  exports.push(groupClient, factory);
  const restImports = ['type CreateOptions', 'type GetOptions', 'HttpClient', 'type PatchOptions', 'type PatchType', 'type ProtobufCodec', 'RestClient', 'type RestConfig', 'type UpdateOptions'];
  // Aliased: admissionregistration/v1 has a Kubernetes type named ApplyConfiguration.
  const applyImport = anyApply
    ? `import type { ApplyConfiguration as ApplyOf } from '${module.runtime('apply-configuration')}';\n`
    : '';
  const header =
    `import { ${restImports.join(', ')} } from '@kgo/rest';\n` +
    applyImport +
    `import type { GroupClientOptions } from '${module.runtime('client-set')}';\n` +
    `import { ResourceClient } from '${module.runtime('resource-client')}';\n`;
  return { code: `${header}__IMPORTS__\n${parts.join('\n')}`, exports };
}

const restNames = ['CreateOptions', 'GetOptions', 'HttpClient', 'PatchOptions', 'PatchType', 'ProtobufCodec', 'RestClient', 'RestConfig', 'UpdateOptions'];

/**
 * Finishes a client module's code: imports the local types it uses from './types.ts', adds the
 * other imports, and keeps only the @kgo/rest imports it uses (noUnusedLocals).
 */
export function linkClientModule(code: string, localTypes: Set<string>, otherImports: string): string {
  const body = code.replace(/^import .*$/gm, '');
  const used = [...localTypes].filter((name) => new RegExp(`\\b${name}\\b`).test(body)).sort();
  const localImport = used.length > 0 ? `import type { ${used.join(', ')} } from './types.ts';\n` : '';
  return code.replace('__IMPORTS__', `${localImport}${otherImports}`).replace(/^import \{ (.*) \} from '@kgo\/rest';$/m, (_, list: string) => {
    const kept = list.split(', ').filter((specifier) => {
      const name = specifier.replace(/^type /, '');
      return restNames.includes(name) && new RegExp(`\\b${name}\\b`).test(body);
    });
    return `import { ${kept.join(', ')} } from '@kgo/rest';`;
  });
}

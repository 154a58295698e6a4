import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitClientModule, linkClientModule } from './emit-client.ts';
import { emitNamedType } from './emit-types.ts';
import { generatedHeader } from './generated-header.ts';
import { generateProtobuf } from './protobuf/generate-protobuf.ts';
import { groupAccessor, resourceAccessor } from './naming.ts';
import type { OpenApiDocument, Schema } from './openapi.ts';
import { readResources } from './resources.ts';
import { importPath, locateSchema, type SchemaLocation } from './schema-modules.ts';

/** What the built-in generation read: the Kubernetes version and the group-version documents. */
export interface OpenApiSource {
  kubernetes: string;
  gitVersion: string;
  groupVersions: string[];
}

/** Collects the imports of one module file, aliasing a name that clashes with a local one. */
export class ModuleImports {
  readonly #module: string;
  readonly #locals: Set<string>;
  readonly #imports = new Map<string, Map<string, string>>();

  constructor(module: string, locals: Set<string>) {
    this.#module = module;
    this.#locals = locals;
  }

  /** The name to use for a schema in this module. */
  resolve = (schemaName: string): string => {
    const location = locateSchema(schemaName);
    if (location.module === this.#module) return location.name;
    const from = importPath(this.#module, location.module);
    const names = this.#imports.get(from) ?? new Map<string, string>();
    this.#imports.set(from, names);
    let alias = names.get(location.name);
    if (!alias) {
      const taken = new Set([...this.#locals, ...[...this.#imports.values()].flatMap((map) => [...map.values()])]);
      alias = taken.has(location.name) ? `${location.module.replace(/(^|\/)(\w)/g, (_, __, c: string) => c.toUpperCase())}${location.name}` : location.name;
      names.set(location.name, alias);
    }
    return alias;
  };

  /** The import lines, sorted. */
  render(): string {
    return [...this.#imports]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, names]) => {
        const specifiers = [...names].sort(([a], [b]) => a.localeCompare(b)).map(([name, alias]) => (alias === name ? name : `${name} as ${alias}`));
        return `import type { ${specifiers.join(', ')} } from '${from}';\n`;
      })
      .join('');
  }
}

export { generatedHeader } from './generated-header.ts';

/**
 * Generates the types and clients of every built-in group-version from the committed OpenAPI
 * documents: a map of file path (relative to the generated folder) to content. Deterministic:
 * the same documents always give the same files.
 */
export function generateBuiltins(openapiDir: string): Map<string, string> {
  const source = JSON.parse(readFileSync(join(openapiDir, 'source.json'), 'utf8')) as OpenApiSource;
  const header = generatedHeader(`the OpenAPI v3 of Kubernetes ${source.gitVersion}`);
  const schemas = new Map<string, Schema>();
  const documents = new Map<string, OpenApiDocument>();
  for (const groupVersion of source.groupVersions) {
    const document = JSON.parse(readFileSync(join(openapiDir, `${groupVersion}.json`), 'utf8')) as OpenApiDocument;
    documents.set(groupVersion, document);
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      schemas.set(name, mergeSchema(name, schemas.get(name), schema));
    }
  }

  // Types: one file per module.
  const modules = new Map<string, string[]>();
  for (const name of [...schemas.keys()].sort()) {
    const { module } = locateSchema(name);
    modules.set(module, [...(modules.get(module) ?? []), name]);
  }
  const files = new Map<string, string>();
  const typeNames = new Map<string, Set<string>>();
  for (const [module, names] of modules) {
    const locals = new Set(names.map((name) => locateSchema(name).name));
    typeNames.set(module, locals);
    const imports = new ModuleImports(module, locals);
    const body = names.map((name) => emitNamedType(locateSchema(name).name, schemas.get(name) as Schema, imports.resolve)).join('\n');
    files.set(`${module}/types.ts`, `${header}${imports.render()}${imports.render() ? '\n' : ''}${body}`);
  }

  // Clients: one per group-version document, in the module of its object types.
  const clientModules: string[] = [];
  const listable: { module: string; accessor: string; namespaced: boolean; listType: SchemaLocation; plural: string }[] = [];
  for (const [groupVersion, document] of [...documents].sort(([a], [b]) => a.localeCompare(b))) {
    const [root, ...rest] = groupVersion.split('/');
    const [group, version] = root === 'api' ? ['', rest[0] ?? ''] : [rest[0] ?? '', rest[1] ?? ''];
    const resources = readResources(document, `/${groupVersion}`);
    if (resources.length === 0) continue;
    const module = locateSchema(resources[0]?.itemType as string).module;
    const locals = typeNames.get(module) ?? new Set<string>();
    const imports = new ModuleImports(module, locals);
    const { code, exports } = emitClientModule({
      module,
      group,
      version,
      resources,
      resolve: imports.resolve,
      runtime: (file) => `${'../'.repeat(module.split('/').length + 1)}runtime/${file}.ts`,
    });
    for (const name of exports) if (locals.has(name)) throw new Error(`${module}: generated client name ${name} clashes with a type of the same name`);
    files.set(`${module}/client.ts`, `${header}${linkClientModule(code, locals, imports.render())}`);
    clientModules.push(module);
    for (const resource of resources) {
      if (!resource.verbs.has('list') || !resource.listType) continue;
      const accessor = resourceAccessor(resource.plural, resource.kind);
      listable.push({ module, accessor, namespaced: resource.namespaced, listType: locateSchema(resource.listType), plural: resource.plural });
    }
  }

  // One entry per module: its types, and its client when it has one.
  for (const module of modules.keys()) {
    const client = clientModules.includes(module) ? `export * from './client.ts';\n` : '';
    files.set(`${module}/index.ts`, `${header}export type * from './types.ts';\n${client}`);
  }

  // The full ClientSet (client-go's kubernetes.Clientset): every group-version, in its own entry.
  const sortedClients = [...clientModules].sort();
  const allImports = sortedClients.map((module) => `import { ${groupAccessor(module)} } from './${module}/client.ts';\n`).join('');
  const groups = sortedClients.map((module) => `  ${groupAccessor(module)},\n`).join('');
  files.set(
    'all.ts',
    `${header}import type { HttpClient, RestConfig } from '@kgo/rest';\nimport { type ClientSet, createClientSet, type GroupClientOptions } from '../runtime/client-set.ts';\n${allImports}\n` +
      `/** Every built-in group-version of Kubernetes ${source.gitVersion}. */\nexport const allGroups = {\n${groups}};\n\n` +
      `/** A ClientSet with every built-in group-version (client-go's \`kubernetes.Clientset\`). */\nexport type KubernetesClientSet = ClientSet<typeof allGroups>;\n\n` +
      `/**\n * A ClientSet with every built-in group-version, all over one HttpClient (client-go's\n * \`kubernetes.NewForConfig\`). It bundles every group: to carry only the groups you use, call\n * \`createClientSet(config, { coreV1, appsV1 })\` from \`@kgo/typed\` instead. \`options.protobuf\`\n * prefers protobuf with that codec (see \`GroupClientOptions\`).\n */\nexport function newClientSet(configOrHttp: RestConfig | HttpClient, options: GroupClientOptions = {}): KubernetesClientSet {\n  return createClientSet(configOrHttp, allGroups, options);\n}\n\n` +
      `/** The Kubernetes version these clients were generated from. */\nexport const KUBERNETES_VERSION = ${JSON.stringify(source.gitVersion)};\n`,
  );
  // The protobuf codecs (opt-in subpaths `<group>/<version>/protobuf`), from protobuf/ beside openapi/.
  const codecModules: string[] = [];
  for (const [path, content] of generateProtobuf(join(openapiDir, '..', 'protobuf'), source.gitVersion)) {
    files.set(path, content);
    if (content.includes('Protobuf: ProtobufCodec')) codecModules.push(path.slice(0, -'/protobuf.ts'.length));
  }
  files.set('every-resource.test.ts', everyResourceTest(header, listable, codecModules.sort()));
  return files;
}

/**
 * A test that lists every listable built-in resource through the generated clients against the
 * real server (so no generated path is wrong), each result assigned to its generated list type
 * (so tsc checks the types line up).
 */
function everyResourceTest(header: string, listable: { module: string; accessor: string; namespaced: boolean; listType: SchemaLocation; plural: string }[], codecModules: string[]): string {
  const sorted = [...listable].sort((a, b) => `${a.module} ${a.plural}`.localeCompare(`${b.module} ${b.plural}`));
  const imports = new Map<string, Set<string>>();
  for (const { listType } of sorted) imports.set(listType.module, (imports.get(listType.module) ?? new Set()).add(listType.name));
  const importLines = [...imports]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => `import type { ${[...names].sort().map((name) => `${name} as ${aliasOf(module, name)}`).join(', ')} } from './${module}/types.ts';\n`)
    .join('');
  const codecImports = codecModules.map((module) => `import { ${groupAccessor(module)}Protobuf } from './${module}/protobuf.ts';\n`).join('');
  const cases = sorted
    .map(({ module, accessor, namespaced, listType, plural }) => {
      const call = (set: string, options: string) => `${set}.${groupAccessor(module)}().${accessor}(${namespaced ? "''" : ''}).list(${options})`;
      return (
        `  it(${JSON.stringify(`${module} ${plural}`)}, async () => {\n    const list: ${aliasOf(listType.module, listType.name)} = await ${call('clientSet', '{ limit: 1 }')};\n    expect(list.kind).toBe(${JSON.stringify(listType.name)});\n    expect(Array.isArray(list.items)).toBe(true);\n` +
        `    // The same page over protobuf, at the same resourceVersion: the same object. (Lists not read from\n    // storage, componentstatuses, have no resourceVersion and no fixed order.)\n    const resourceVersion = list.metadata?.resourceVersion;\n` +
        `    const viaProtobuf: ${aliasOf(listType.module, listType.name)} = await ${call('protobufClientSet', "resourceVersion ? { limit: 1, resourceVersion, resourceVersionMatch: 'Exact' } : { limit: 1 }")};\n` +
        `    if (resourceVersion) expect(viaProtobuf).toStrictEqual(list);\n    else expect(viaProtobuf.items.length).toBe(list.items.length);\n  });\n`
      );
    })
    .join('');
  return (
    `${header}import { restConfigFor, testCluster } from '@kgo/envtest/vitest';\nimport { combineProtobufCodecs } from '@kgo/rest';\nimport { afterAll, describe, expect, it } from 'vitest';\nimport { newClientSet } from './all.ts';\n${importLines}${codecImports}\n` +
    `const clientSet = newClientSet(restConfigFor(testCluster()));\nconst protobufClientSet = newClientSet(clientSet.http, { protobuf: combineProtobufCodecs(${codecModules.map((module) => `${groupAccessor(module)}Protobuf`).join(', ')}) });\nafterAll(() => clientSet.close());\n\n` +
    `describe('every listable built-in resource lists through its generated client, over JSON and over protobuf', () => {\n${cases}});\n`
  );
}

function aliasOf(module: string, name: string): string {
  return `${module.replace(/(^|\/)(\w)/g, (_, __, c: string) => c.toUpperCase())}${name}`;
}
/**
 * One schema seen in several group-version documents: identical but for the kinds each document
 * lists under `x-kubernetes-group-version-kind` (DeleteOptions, WatchEvent), which are joined.
 */
function mergeSchema(name: string, known: Schema | undefined, next: Schema): Schema {
  if (!known) return next;
  const { 'x-kubernetes-group-version-kind': knownKinds = [], ...knownRest } = known;
  const { 'x-kubernetes-group-version-kind': nextKinds = [], ...nextRest } = next;
  if (JSON.stringify(knownRest) !== JSON.stringify(nextRest)) throw new Error(`schema ${name} differs between group-version documents`);
  const kinds = new Map([...knownKinds, ...nextKinds].map((gvk) => [`${gvk.group}/${gvk.version}/${gvk.kind}`, gvk]));
  return { ...known, 'x-kubernetes-group-version-kind': [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([, gvk]) => gvk) };
}


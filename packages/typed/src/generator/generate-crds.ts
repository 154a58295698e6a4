import { emitClientModule, linkClientModule } from './emit-client.ts';
import { emitNamedType } from './emit-types.ts';
import { docComment } from './naming.ts';
import type { Schema } from './openapi.ts';
import type { Resource } from './resources.ts';
import { generatedHeader } from './generate-builtins.ts';

/*
 * Types and typed clients for CustomResourceDefinitions, written into the user's project (what
 * client-gen + controller-gen do for Go). One module per served group-version:
 * `<group>/<version>/{types,client,index}.ts`, importing the runtime from `@kgo/typed` and
 * `@kgo/rest`, so the output type-checks in any project that installs them.
 */

/** The parts of a CustomResourceDefinition (apiextensions.k8s.io/v1) the generator reads. */
export interface CustomResourceDefinition {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { plural: string; kind: string; listKind?: string; singular?: string };
    versions: {
      name: string;
      served: boolean;
      storage?: boolean;
      deprecated?: boolean;
      schema?: { openAPIV3Schema?: Schema };
      subresources?: { status?: object; scale?: object };
    }[];
  };
}

/** Checks that a parsed document is a CRD the generator can use, naming what is missing. */
export function asCustomResourceDefinition(document: unknown, where: string): CustomResourceDefinition {
  const crd = document as CustomResourceDefinition;
  if (crd?.kind !== 'CustomResourceDefinition' || crd.apiVersion !== 'apiextensions.k8s.io/v1') {
    throw new TypeError(`${where}: not an apiextensions.k8s.io/v1 CustomResourceDefinition (apiVersion ${JSON.stringify(crd?.apiVersion)}, kind ${JSON.stringify(crd?.kind)})`);
  }
  const spec = crd.spec;
  if (!spec?.group || !spec.names?.plural || !spec.names.kind || !Array.isArray(spec.versions)) {
    throw new TypeError(`${where}: CustomResourceDefinition ${crd.metadata?.name ?? ''} needs spec.group, spec.names.plural, spec.names.kind and spec.versions`);
  }
  return crd;
}

const externalTypes: Record<string, { from: string; name: string }> = {
  'kgo:ObjectMeta': { from: '@kgo/rest', name: 'ObjectMeta' },
  'kgo:KubeList': { from: '@kgo/rest', name: 'KubeList' },
  'kgo:Scale': { from: '@kgo/typed/autoscaling/v1', name: 'Scale' },
};

/**
 * Generates the modules of a set of CRDs: file path (relative to the output folder) → content.
 * Versions that are not served are skipped; deprecated ones say so in their TSDoc.
 */
export function generateCrds(crds: CustomResourceDefinition[], source: string, regenerate: string): Map<string, string> {
  const header = generatedHeader(source, regenerate);
  const byModule = new Map<string, { crd: CustomResourceDefinition; version: CustomResourceDefinition['spec']['versions'][number] }[]>();
  for (const crd of [...crds].sort((a, b) => `${a.spec.group}/${a.spec.names.plural}`.localeCompare(`${b.spec.group}/${b.spec.names.plural}`))) {
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const module = `${crd.spec.group}/${version.name}`;
      byModule.set(module, [...(byModule.get(module) ?? []), { crd, version }]);
    }
  }
  const files = new Map<string, string>();
  for (const [module, entries] of [...byModule].sort(([a], [b]) => a.localeCompare(b))) {
    const [group = '', version = ''] = module.split('/');
    const used = new Map<string, { from: string; name: string }>();
    const resolve = (name: string): string => {
      const external = externalTypes[name];
      if (!external) return name;
      used.set(name, external);
      return external.name;
    };
    const types: string[] = [];
    const locals = new Set<string>();
    const resources: Resource[] = [];
    for (const { crd, version: served } of entries) {
      const { kind, plural } = crd.spec.names;
      const listKind = crd.spec.names.listKind ?? `${kind}List`;
      const schema: Schema = { ...(served.schema?.openAPIV3Schema ?? { type: 'object' }), type: 'object' };
      // metadata is always ObjectMeta, whatever the CRD's schema says of it.
      const properties: Record<string, Schema> = {
        apiVersion: { type: 'string', description: `\`${group}/${version}\`` },
        kind: { type: 'string', description: `\`${kind}\`` },
        metadata: { $ref: '#/components/schemas/kgo:ObjectMeta' },
        ...Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name]) => !['apiVersion', 'kind', 'metadata'].includes(name))),
      };
      const description = [schema.description, served.deprecated ? `Deprecated: ${group}/${version} is deprecated; move to a newer version of ${kind}.` : undefined]
        .filter(Boolean)
        .join('\n\n');
      types.push(emitNamedType(kind, { ...schema, properties, description }, resolve));
      types.push(`${docComment([`A list of ${kind} objects.`])}export type ${listKind} = ${resolve('kgo:KubeList')}<${kind}>;\n`);
      locals.add(kind).add(listKind);
      const subresources = new Map<string, Resource['subresources'] extends Map<string, infer V> ? V : never>();
      if (served.subresources?.status) {
        subresources.set('status', ['get', 'put', 'patch'].map((method) => ({ method: method as 'get', requestType: kind, responseType: kind, parameters: [] })));
      }
      if (served.subresources?.scale) {
        subresources.set('scale', ['get', 'put', 'patch'].map((method) => ({ method: method as 'get', requestType: 'kgo:Scale', responseType: 'kgo:Scale', parameters: [] })));
      }
      resources.push({
        plural,
        kind,
        namespaced: crd.spec.scope === 'Namespaced',
        itemType: kind,
        listType: listKind,
        verbs: new Set(['get', 'list', 'create', 'update', 'delete', 'deletecollection', 'patch']),
        subresources,
      });
    }
    const client = emitClientModule({ module, group, version, resources, resolve, runtime: () => '@kgo/typed' });
    const imports = (names: string[]) =>
      [...new Set(names.map((name) => externalTypes[name]?.from))]
        .filter((from): from is string => Boolean(from))
        .sort()
        .map((from) => {
          const specifiers = names.filter((name) => externalTypes[name]?.from === from).map((name) => externalTypes[name]?.name).sort();
          return `import type { ${[...new Set(specifiers)].join(', ')} } from '${from}';\n`;
        })
        .join('');
    const typeNames = [...used.keys()].filter((name) => name !== 'kgo:Scale');
    files.set(`${module}/types.ts`, `${header}${imports(typeNames)}\n${types.join('\n')}`);
    const clientExternal = [...used.keys()].filter((name) => name === 'kgo:Scale' && client.code.includes('Scale'));
    const linked = linkClientModule(client.code, locals, imports(clientExternal));
    // The runtime comes from the package root for generated CRD clients.
    files.set(`${module}/client.ts`, `${header}${mergeTypedImports(linked)}`);
    files.set(`${module}/index.ts`, `${header}export type * from './types.ts';\nexport * from './client.ts';\n`);
  }
  return files;
}

/** Joins the runtime imports (each `from '@kgo/typed'`) into one `@kgo/typed` import line. */
function mergeTypedImports(code: string): string {
  const specifiers: string[] = [];
  let first = -1;
  const rest = code.replace(/^import (type )?\{ (.*) \} from '@kgo\/typed';\n/gm, (_line: string, typeOnly: string | undefined, list: string, offset: number) => {
    if (first < 0) first = offset;
    for (const specifier of list.split(', ')) specifiers.push(typeOnly ? `type ${specifier}` : specifier);
    return '';
  });
  if (first < 0) return code;
  const sorted = specifiers.sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
  const line = sorted.every((specifier) => specifier.startsWith('type ')) ? `import type { ${sorted.map((specifier) => specifier.slice(5)).join(', ')} } from '@kgo/typed';\n` : `import { ${sorted.join(', ')} } from '@kgo/typed';\n`;
  return `${rest.slice(0, first)}${line}${rest.slice(first)}`;
}

/*
 * Where each OpenAPI schema's TypeScript type lives. Schema names are Go package paths plus a
 * type name (`io.k8s.api.apps.v1.Deployment`); each Go API package becomes one module
 * (`apps/v1`), and the apimachinery scalars (Quantity, IntOrString, RawExtension) one more.
 */

/** The module and type name of a schema. */
export interface SchemaLocation {
  /** Module path under the generated folder, also the package subpath (`apps/v1`, `meta/v1`). */
  module: string;
  /** The exported type name. */
  name: string;
}

const apimachineryScalars = new Set(['io.k8s.apimachinery.pkg.api.resource', 'io.k8s.apimachinery.pkg.util.intstr', 'io.k8s.apimachinery.pkg.runtime']);

/** The module of a built-in schema name, or an error naming it. */
export function locateSchema(schemaName: string): SchemaLocation {
  const dot = schemaName.lastIndexOf('.');
  const pkg = schemaName.slice(0, dot);
  const name = schemaName.slice(dot + 1);
  if (pkg.startsWith('io.k8s.api.')) return { module: pkg.slice('io.k8s.api.'.length).replace('.', '/'), name };
  if (apimachineryScalars.has(pkg)) return { module: 'apimachinery', name };
  const apis = /\.pkg\.apis\.([^.]+)\.([^.]+)$/.exec(pkg);
  if (apis) return { module: `${apis[1]}/${apis[2]}`, name };
  throw new Error(`no module for schema ${schemaName}: add its Go package to schema-modules.ts`);
}

/** A relative import path from one module's file to another module's `types.ts`. */
export function importPath(fromModule: string, toModule: string): string {
  const up = '../'.repeat(fromModule.split('/').length);
  return `${up}${toModule}/types.ts`;
}

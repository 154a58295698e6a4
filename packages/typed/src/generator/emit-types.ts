import { docComment, propertyKey } from './naming.ts';
import { refName, type Schema } from './openapi.ts';

/** Resolves a schema name to the TypeScript name to use in the module being written (importing it if needed). */
export type TypeResolver = (schemaName: string) => string;

/** Extra lines of TSDoc from Kubernetes' list, map and patch annotations. */
function annotations(schema: Schema): string | undefined {
  const notes: string[] = [];
  const listType = schema['x-kubernetes-list-type'];
  if (listType) {
    const keys = schema['x-kubernetes-list-map-keys'];
    notes.push(`List type \`${listType}\`${keys?.length ? ` keyed by ${keys.map((key) => `\`${key}\``).join(', ')}` : ''}.`);
  }
  if (schema['x-kubernetes-map-type']) notes.push(`Map type \`${schema['x-kubernetes-map-type']}\`.`);
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (strategy) {
    const key = schema['x-kubernetes-patch-merge-key'];
    notes.push(`Patch strategy \`${strategy}\`${key ? ` on \`${key}\`` : ''}.`);
  }
  if (schema.format === 'int64') notes.push('int64: values beyond 2^53 lose precision as a JavaScript number.');
  return notes.length > 0 ? notes.join(' ') : undefined;
}

/** The TypeScript type of a schema used in place (a property, an item, a map value). */
export function typeExpression(schema: Schema | undefined, resolve: TypeResolver, indent = ''): string {
  if (!schema) return 'unknown';
  const ref = refName(schema);
  if (ref) return resolve(ref);
  if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') return 'number | string';
  if (schema.enum && schema.enum.length > 0) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = typeExpression(schema.items, resolve, indent);
      return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      if (schema.properties && Object.keys(schema.properties).length > 0) return objectLiteral(schema, resolve, indent);
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `Record<string, ${typeExpression(schema.additionalProperties, resolve, indent)}>`;
      }
      return 'Record<string, unknown>';
    default:
      // No type: any JSON value (apiextensions JSON, x-kubernetes-preserve-unknown-fields).
      return 'unknown';
  }
}

function objectLiteral(schema: Schema, resolve: TypeResolver, indent: string): string {
  const inner = `${indent}  `;
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const optional = schema.required?.includes(name) ? '' : '?';
    return `${docComment([property.description, annotations(property)], inner)}${inner}${propertyKey(name)}${optional}: ${typeExpression(property, resolve, inner)};\n`;
  });
  if (schema['x-kubernetes-preserve-unknown-fields']) fields.push(`${inner}[field: string]: unknown;\n`);
  return `{\n${fields.join('')}${indent}}`;
}

/** One named schema as an exported interface or type alias, with its TSDoc. */
export function emitNamedType(name: string, schema: Schema, resolve: TypeResolver): string {
  const doc = docComment([schema.description, annotations(schema)]);
  if (schema.type === 'object' && schema.properties && Object.keys(schema.properties).length > 0) {
    return `${doc}export interface ${name} ${objectLiteral(schema, resolve, '')}\n`;
  }
  return `${doc}export type ${name} = ${typeExpression(schema, resolve)};\n`;
}

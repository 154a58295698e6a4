/*
 * Names for generated code: TSDoc comments, identifiers, and the client-go style method names
 * derived from kinds and resources.
 */

/** A TSDoc block for `text` at the given indent, or '' when there is nothing to say. */
export function docComment(lines: (string | undefined)[], indent = ''): string {
  const text = lines.filter((line): line is string => Boolean(line && line.trim())).join('\n\n');
  if (!text) return '';
  const body = text
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => `${indent} *${line ? ` ${line.trimEnd()}` : ''}`)
    .join('\n');
  return `${indent}/**\n${body}\n${indent} */\n`;
}

/** A property key as TypeScript needs it: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `ephemeralcontainers` → `EphemeralContainers` where known, else the first letter upper-cased. */
export function pascal(word: string): string {
  const known: Record<string, string> = { ephemeralcontainers: 'EphemeralContainers', serviceaccounts: 'ServiceAccounts' };
  return known[word] ?? word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The accessor of a resource, client-go style: the kind's casing over the plural
 * (`configmaps` of ConfigMap → `configMaps`, `networkpolicies` → `networkPolicies`,
 * `csidrivers` of CSIDriver → `csiDrivers`).
 */
export function resourceAccessor(plural: string, kind: string): string {
  const lowerKind = kind.toLowerCase();
  let common = 0;
  while (common < plural.length && common < lowerKind.length && plural[common] === lowerKind[common]) common++;
  return lowerFirst(kind.slice(0, common) + plural.slice(common));
}

/** Lower-cases the first letter, or a leading acronym (`CSIDrivers` → `csiDrivers`, `APIServices` → `apiServices`). */
export function lowerFirst(name: string): string {
  const run = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (run.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1);
  const keep = run.length === name.length ? run.length : run.length - 1;
  return name.slice(0, keep).toLowerCase() + name.slice(keep);
}

/**
 * A module path as the ClientSet method and group factory name: `apps/v1` → `appsV1`,
 * `gen.kgo.example/v1` → `genKgoExampleV1` (every word of a CRD's group, so two groups never meet).
 */
export function groupAccessor(module: string): string {
  const [first = '', ...rest] = module.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `${first}${rest.map(pascal).join('')}`;
}

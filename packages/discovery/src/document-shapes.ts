/*
 * The shapes of discovery documents, checked the way Go's JSON decoding into the typed structs
 * checks them: a field of the wrong type fails the whole document (a DecodeError naming the field,
 * never quoting the value), null and missing fields become zero values ('' for a required string,
 * [] for a list element's missing fields), unknown fields are kept. Without this, a broken
 * aggregated API server's document would surface as a TypeError deep in a RESTMapper.
 */
import { DecodeError, type RequestDescription } from '@kgo/rest';

/** A field's expected shape: `string!`/`boolean!` and required lists are zero-valued when absent, the others stay absent. */
export type Shape = 'string' | 'string!' | 'boolean' | 'boolean!' | { array: Shape; required?: true } | { object: Record<string, Shape> };

const GVK: Shape = { object: { group: 'string!', version: 'string!', kind: 'string!' } };
const strings: Shape = { array: 'string!' };
const requiredStrings: Shape = { array: 'string!', required: true };
const GROUP_VERSION: Shape = { object: { groupVersion: 'string!', version: 'string!' } };

/** `apidiscovery.k8s.io/v2` (and v2beta1) APIGroupDiscoveryList. */
export const AGGREGATED_DISCOVERY: Shape = {
  object: {
    items: {
      array: {
        object: {
          metadata: { object: { name: 'string!' } },
          versions: {
            array: {
              object: {
                version: 'string!',
                freshness: 'string',
                resources: {
                  array: {
                    object: {
                      resource: 'string!',
                      responseKind: GVK,
                      scope: 'string',
                      singularResource: 'string',
                      verbs: strings,
                      shortNames: strings,
                      categories: strings,
                      subresources: { array: { object: { subresource: 'string!', responseKind: GVK, verbs: strings } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** The legacy `/apis` APIGroupList. */
export const API_GROUP_LIST: Shape = {
  object: { groups: { required: true, array: { object: { name: 'string!', versions: { array: GROUP_VERSION, required: true }, preferredVersion: GROUP_VERSION } } } },
};

/** The legacy `/api` APIVersions. */
export const API_VERSIONS: Shape = { object: { versions: requiredStrings } };

/** A legacy group-version document, APIResourceList. */
export const API_RESOURCE_LIST: Shape = {
  object: {
    groupVersion: 'string',
    resources: {
      required: true,
      array: {
        object: { name: 'string!', singularName: 'string!', namespaced: 'boolean!', kind: 'string!', group: 'string', version: 'string', verbs: requiredStrings, shortNames: strings, categories: strings },
      },
    },
  },
};

/**
 * Checks and normalizes a decoded document against its shape; throws a {@link DecodeError}
 * (`GET <url>: the response is not a valid <what>: items[0].versions must be a list, not a number`).
 */
export function checkDocument<T>(value: unknown, shape: Shape, what: string, request: RequestDescription): T {
  const fail = (path: string, expected: string, actual: unknown) =>
    new DecodeError(`${request.verb} ${request.url}: the response is not a valid ${what}: ${path || 'the document'} must be ${expected}, not ${kindOf(actual)}`, request);
  const visit = (v: unknown, s: Shape, path: string, zero: boolean): unknown => {
    if (typeof s === 'string') {
      const type = s.startsWith('string') ? 'string' : 'boolean';
      if (v === null || v === undefined) return s.endsWith('!') ? (type === 'string' ? '' : false) : undefined;
      if (typeof v !== type) throw fail(path, `a ${type}`, v);
      return v;
    }
    if ('array' in s) {
      if (v === null || v === undefined) return s.required ? [] : undefined;
      if (!Array.isArray(v)) throw fail(path, 'a list', v);
      return v.map((item, i) => visit(item, s.array, `${path}[${i}]`, true));
    }
    if (v === null || v === undefined) return zero ? visit({}, s, path, true) : undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw fail(path, 'an object', v);
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const [key, field] of Object.entries(s.object)) {
      const checked = visit(out[key], field, path ? `${path}.${key}` : key, false);
      if (checked === undefined) delete out[key];
      else out[key] = checked;
    }
    return out;
  };
  return visit(value, shape, '', true) as T;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

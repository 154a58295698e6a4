import { DecodeError } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { AGGREGATED_DISCOVERY, API_GROUP_LIST, API_RESOURCE_LIST, checkDocument } from './document-shapes.ts';

// Regressions found by discovery-documents.fuzz.test.ts: wrong types deep in a document reached
// the caller as TypeErrors or as groups whose names were lists.
const request = { verb: 'GET', url: 'https://h/apis' };
const thrown = (run: () => unknown): DecodeError => {
  try {
    run();
  } catch (error) {
    if (DecodeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
};

describe('checkDocument', () => {
  it('fails a field of the wrong type at any depth, naming it and not its value', () => {
    const error = thrown(() => checkDocument({ items: [{ versions: [{ version: 'v1', resources: 'kgo-marker-secret' }] }] }, AGGREGATED_DISCOVERY, 'APIGroupDiscoveryList', request));
    expect(error.message).toBe('GET https://h/apis: the response is not a valid APIGroupDiscoveryList: items[0].versions[0].resources must be a list, not a string');
    expect(thrown(() => checkDocument({ groups: [{ name: [] }] }, API_GROUP_LIST, 'APIGroupList', request)).message).toMatch(/groups\[0\]\.name must be a string, not a list$/);
    expect(thrown(() => checkDocument(7, API_GROUP_LIST, 'APIGroupList', request)).message).toMatch(/the document must be an object, not a number$/);
  });

  it("turns null and missing fields into Go's zero values where the types require them, and keeps unknown fields", () => {
    expect(checkDocument({ groups: [{}, null] }, API_GROUP_LIST, 'APIGroupList', request)).toEqual({ groups: [{ name: '', versions: [] }, { name: '', versions: [] }] });
    expect(checkDocument(null, API_RESOURCE_LIST, 'APIResourceList', request)).toEqual({ resources: [] });
    expect(checkDocument({ resources: [{ name: 'pods', storageVersionHash: 'x', shortNames: null }] }, API_RESOURCE_LIST, 'APIResourceList', request)).toEqual({
      resources: [{ name: 'pods', singularName: '', namespaced: false, kind: '', verbs: [], storageVersionHash: 'x' }],
    });
  });
});

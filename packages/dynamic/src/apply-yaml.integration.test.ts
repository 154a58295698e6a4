import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { groupVersionKindOf, HttpClient, type GroupVersionKind, type Unstructured } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { crds, uniqueGroup } from './__fixtures__/custom-resource.ts';
import { discoveryMapper, type ResourceMapping } from './__fixtures__/discovery-mapper.ts';
import { DynamicClient } from './dynamic-client.ts';
import { getName, getNamespace, getResourceVersion } from './object-meta-accessors.ts';
import { nestedInt } from './unstructured.ts';

/* The README's "apply any YAML file" recipe, run on a file with a CRD and two of its objects. */

// --- the recipe, as the README has it ---
/**
 * Server-side applies every document of a multi-document YAML file. `mapping` turns a kind into
 * its resource (e.g. @kgo/discovery's RESTMapper); objects without a namespace go to `namespace`.
 */
async function applyYaml(
  dynamic: DynamicClient,
  yamlText: string,
  mapping: (gvk: GroupVersionKind) => Promise<ResourceMapping>,
  options: { fieldManager: string; namespace: string },
): Promise<Unstructured[]> {
  const applied: Unstructured[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    if (document.errors.length > 0) throw document.errors[0];
    const obj = document.toJS() as Unstructured | null;
    if (!obj) continue; // an empty document (a trailing ---)
    const { resource, namespaced } = await mapping(groupVersionKindOf(obj));
    const client = dynamic.resource(resource);
    const target = namespaced ? client.namespace(obj.metadata?.namespace ?? options.namespace) : client;
    applied.push(await target.apply(obj, { fieldManager: options.fieldManager, force: true }));
  }
  return applied;
}
// --- end of the recipe ---

const http = new HttpClient(restConfigFor(testCluster()));
const dynamic = new DynamicClient(http);
const namespace = uniqueNamespace('kgo-dyn-yaml');
const group = uniqueGroup('yaml');

const manifest = (secondSize: number) => `
# A CRD and two objects of it, as a GitOps repository might hold them.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
---
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: first
spec:
  size: 1
---
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: second
  namespace: ${namespace}
  labels: { tier: back }
spec:
  size: ${secondSize}
---
`;

beforeAll(async () => {
  await dynamic.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});

afterAll(async () => {
  await dynamic.resource(crds).delete(`gadgets.${group}`).catch(() => {});
  await dynamic.resource({ group: '', version: 'v1', resource: 'namespaces' }).delete(namespace).catch(() => {});
  await http.close();
});

describe('the "apply any YAML file" recipe', () => {
  it('applies a CRD and two of its objects, then re-applies the file as a no-op, then an edit', async () => {
    const mapping = discoveryMapper(http);
    const applied = await applyYaml(dynamic, manifest(2), mapping, { fieldManager: 'kgo-yaml', namespace });
    expect(applied.map((obj) => [obj.kind, getName(obj), getNamespace(obj)])).toEqual([
      ['CustomResourceDefinition', `gadgets.${group}`, undefined],
      ['Gadget', 'first', namespace],
      ['Gadget', 'second', namespace],
    ]);
    const gadgets = dynamic.resource({ group, version: 'v1', resource: 'gadgets' }).namespace(namespace);
    const stored = await gadgets.list();
    expect(stored.items.map((obj) => [getName(obj), nestedInt(obj, 'spec', 'size').value])).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
    expect(stored.items[1]?.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation])).toEqual([['kgo-yaml', 'Apply']]);

    // Applying the same file again changes nothing: not one resourceVersion moves. (The CRD's own
    // moved since it was applied: the server wrote its status conditions.)
    const before = [await dynamic.resource(crds).get(`gadgets.${group}`), ...stored.items].map(getResourceVersion);
    const again = await applyYaml(dynamic, manifest(2), mapping, { fieldManager: 'kgo-yaml', namespace });
    expect(again.map(getResourceVersion)).toEqual(before);

    const edited = await applyYaml(dynamic, manifest(5), mapping, { fieldManager: 'kgo-yaml', namespace });
    expect(edited.map(getResourceVersion).map((version, i) => version === before[i])).toEqual([true, true, false]);
    expect(nestedInt(await gadgets.get('second'), 'spec', 'size').value).toBe(5);
  });

  it('names the document that is not Kubernetes', async () => {
    const mapping = discoveryMapper(http, 1000);
    await expect(applyYaml(dynamic, 'kind: Gadget\nmetadata: { name: x }\n', mapping, { fieldManager: 'kgo-yaml', namespace })).rejects.toThrow(
      'object has no apiVersion',
    );
    await expect(applyYaml(dynamic, 'apiVersion: v1\nkind: Nonesuch\n', mapping, { fieldManager: 'kgo-yaml', namespace })).rejects.toThrow(
      'no resource serves /v1, Kind=Nonesuch',
    );
    await expect(applyYaml(dynamic, 'a: [\n', mapping, { fieldManager: 'kgo-yaml', namespace })).rejects.toThrow(/Flow sequence in block collection/);
  });
});

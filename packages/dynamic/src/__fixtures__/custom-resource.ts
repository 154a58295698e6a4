import { type Unstructured } from '@kgo/rest';
import type { DynamicClient } from '../dynamic-client.ts';
import { nestedField } from '../unstructured.ts';

export const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

/**
 * A namespaced `Widget` CRD in a group of its own (so runs on a shared cluster do not meet),
 * with the status and scale subresources, a selectable field and an int64 field.
 */
export function widgetCrd(group: string): Unstructured {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    color: { type: 'string' },
                    size: { type: 'integer' },
                    replicas: { type: 'integer' },
                    big: { type: 'integer', format: 'int64' },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } } },
              },
            },
          },
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
          },
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
      ],
    },
  };
}

/** Waits (at most `timeoutMs`) until a CRD reports `Established`, then until its resource answers a list. */
export async function waitEstablished(dynamic: DynamicClient, crd: Unstructured, timeoutMs = 30_000): Promise<void> {
  const name = crd.metadata?.name as string;
  const spec = crd.spec as { group: string; names: { plural: string }; versions: { name: string }[] };
  const deadline = Date.now() + timeoutMs;
  const established = async () => {
    const current = await dynamic.resource(crds).get(name);
    // `conditions` is null until the server has looked at the CRD.
    const conditions = nestedField(current, 'status', 'conditions').value;
    return Array.isArray(conditions) && (conditions as { type?: string; status?: string }[]).some((condition) => condition.type === 'Established' && condition.status === 'True');
  };
  const serving = () =>
    dynamic
      .resource({ group: spec.group, version: spec.versions[0]!.name, resource: spec.names.plural })
      .list({ limit: 1 })
      .then(
        () => true,
        () => false,
      );
  for (const ready of [established, serving]) {
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A group name of its own for this run. */
export function uniqueGroup(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.kgo.example`;
}

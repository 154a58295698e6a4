import { DynamicClient, fromUnstructured } from '@kgo/dynamic';
import type { Pod } from '@kgo/typed/core/v1';
import type { Step } from '../step.ts';
import { POD_NAMESPACE, podSummary, podTable } from './pod-table.ts';

/** 3. The DynamicClient: any resource as plain JSON, then converted to the typed Pod. */
export const dynamicListPods: Step = {
  title: 'DynamicClient',
  description: `lists pods in ${POD_NAMESPACE} as unstructured objects and converts each to a typed Pod`,
  clientGo: 'dynamic.NewForConfig(config).Resource(podsGVR).Namespace("kube-system").List(ctx, opts); runtime.DefaultUnstructuredConverter.FromUnstructured(item.Object, &pod)',
  async run(ctx) {
    const dynamic = new DynamicClient(ctx.http);
    const list = await dynamic.resource({ group: '', version: 'v1', resource: 'pods' }).namespace(POD_NAMESPACE).list({ limit: ctx.limit });
    // fromUnstructured checks apiVersion and kind (list() fills them in on items, as client-go does).
    const pods = list.items.map((item) => fromUnstructured<Pod>(item, { apiVersion: 'v1', kind: 'Pod' }));
    ctx.out.table(podTable(pods));
    return `${podSummary(pods.length, list.metadata?.continue)}, each converted to Pod`;
  },
};

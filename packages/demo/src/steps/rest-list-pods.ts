import { type KubeList, RestClient } from '@kgo/rest';
import type { Pod } from '@kgo/typed/core/v1';
import type { Step } from '../step.ts';
import { POD_NAMESPACE, podSummary, podTable } from './pod-table.ts';

/** 1. The RESTClient: a GET built by hand, decoded into a typed list. */
export const restListPods: Step = {
  title: 'RESTClient',
  description: `lists pods in ${POD_NAMESPACE} with limit`,
  clientGo: 'rest.RESTClientFor(config).Get().Namespace("kube-system").Resource("pods").VersionedParams(&metav1.ListOptions{Limit: n}, ...).Do(ctx).Into(&pods)',
  async run(ctx) {
    const core = new RestClient(ctx.http, { groupVersion: { group: '', version: 'v1' } });
    const pods = await core.get().namespace(POD_NAMESPACE).resource('pods').params({ limit: ctx.limit }).do().into<KubeList<Pod>>();
    ctx.out.table(podTable(pods.items));
    return podSummary(pods.items.length, pods.metadata?.continue);
  },
};

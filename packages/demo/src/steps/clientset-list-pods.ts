import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import type { Step } from '../step.ts';
import { POD_NAMESPACE, podSummary, podTable } from './pod-table.ts';

/** 2. The ClientSet: the generated, typed client for core/v1. */
export const clientsetListPods: Step = {
  title: 'ClientSet',
  description: `lists pods in ${POD_NAMESPACE} with limit, typed`,
  clientGo: 'kubernetes.NewForConfig(config).CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{Limit: n})',
  async run(ctx) {
    const clientset = createClientSet(ctx.http, { coreV1 });
    const pods = await clientset.coreV1().pods(POD_NAMESPACE).list({ limit: ctx.limit });
    ctx.out.table(podTable(pods.items));
    return podSummary(pods.items.length, pods.metadata?.continue);
  },
};

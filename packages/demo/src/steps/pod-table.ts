import type { Pod } from '@kgo/typed/core/v1';
import type { Table } from '../table.ts';

/** The namespace the pod walkthroughs list, as client-go's examples do. */
export const POD_NAMESPACE = 'kube-system';

/** NAMESPACE, NAME, PHASE of each pod (what client-go's walkthroughs print). */
export function podTable(pods: readonly Pod[]): Table {
  return {
    headers: ['NAMESPACE', 'NAME', 'PHASE'],
    rows: pods.map((pod) => [pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', pod.status?.phase ?? '']),
  };
}

/** `3 pods`, and whether the limit cut the list (the server then returns a continue token). */
export function podSummary(count: number, continueToken: string | undefined): string {
  const more = continueToken ? ', more behind a continue token' : '';
  return `${count} pod${count === 1 ? '' : 's'}${more}`;
}

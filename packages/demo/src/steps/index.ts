import type { Step } from '../step.ts';
import { cachedDiscovery } from './cached-discovery.ts';
import { clientsetListPods } from './clientset-list-pods.ts';
import { discoveryApiResources } from './discovery-api-resources.ts';
import { dynamicListPods } from './dynamic-list-pods.ts';
import { restListPods } from './rest-list-pods.ts';

/**
 * The main job, in order: client-go's classic walkthroughs. A step is one entry here; its number
 * is its position (`--only N`).
 */
export const STEPS: readonly Step[] = [
  restListPods,
  clientsetListPods,
  dynamicListPods,
  discoveryApiResources,
  cachedDiscovery,
  // 6. HOOK — the informer (issue #12): when @kgo/informer lands, add its step here, e.g.
  //    `informerPodEvents` in steps/informer-pod-events.ts: start an informer on pods in
  //    `await ctx.scratchNamespace()`, create, change and delete a pod there, print each event
  //    (ADDED/MODIFIED/DELETED) as it arrives. The scratch namespace is the only place a step may
  //    write on a user's cluster; the runner deletes it at the end.
];

import type { Step } from '../step.ts';
import { cachedDiscovery } from './cached-discovery.ts';
import { clientsetListPods } from './clientset-list-pods.ts';
import { deploymentRollout } from './deployment-rollout.ts';
import { discoveryApiResources } from './discovery-api-resources.ts';
import { dynamicListPods } from './dynamic-list-pods.ts';
import { informerPodEvents } from './informer-pod-events.ts';
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
  informerPodEvents,
  deploymentRollout,
];

import { SharedInformerFactory } from '@kgo/informer';
import { isForbidden, PatchType } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { coreV1, type Pod } from '@kgo/typed/core/v1';
import type { Step } from '../step.ts';
import { deletedEvent, describeAdded, describeModified, type PodEvent, PodEventLog, podEvent } from './pod-event-log.ts';

/** The pod the step creates, changes and deletes (in the demo's own namespace, so the name is free). */
export const DEMO_POD = 'kgo-demo-pod';
/** The label the step sets on create and changes with a patch. */
const LABEL = 'kgo-demo/step';
/** Bound on the sync and on each expected event: a silent informer fails the step, never hangs it. */
const EVENT_TIMEOUT_MS = 20_000;

const HEADERS = ['EVENT', 'NAME', 'RESOURCEVERSION', 'AFTER', 'DETAIL'];
// Fixed ahead, as rows print the moment they arrive: a resourceVersion wider than 15 digits only pushes DETAIL right.
const WIDTHS = [8, Math.max(4, DEMO_POD.length), 15, 8, 0];

/**
 * 6. A shared informer on pods in the demo's namespace, printing each event as its handler
 * receives it while the demo creates a pod, patches its label and deletes it.
 */
export const informerPodEvents: Step = {
  title: 'SharedInformer',
  description: 'prints pod events while the demo creates, changes and deletes a pod',
  clientGo:
    'informers.NewSharedInformerFactoryWithOptions(clientset, 0, informers.WithNamespace(ns)).Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{...})',
  async run(ctx) {
    const namespace = await ctx.scratchNamespace();
    const clientset = createClientSet(ctx.http, { coreV1 });
    const pods = clientset.coreV1().pods(namespace);
    // One informer per resource, shared by everyone who asks the factory; the typed client is its ListerWatcher as it is.
    const factory = new SharedInformerFactory(undefined, {
      namespace,
      informerOptions: { onError: (error, source) => ctx.out.line(`  informer ${source} error (it retries): ${(error as Error).message}`) },
    });
    const { informer, lister } = factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods' }, (ns) => clientset.coreV1().pods(ns));

    let actionAt = performance.now();
    const log = new PodEventLog((event) => ctx.out.row([event.type, event.name, event.resourceVersion, `${Math.round(event.at - actionAt)} ms`, event.detail], WIDTHS));
    informer.addEventHandler({
      onAdd: (pod) => log.record(podEvent('ADDED', pod, describeAdded(pod), performance.now())),
      onUpdate: (old, pod) => log.record(podEvent('MODIFIED', pod, describeModified(old, pod), performance.now())),
      onDelete: (obj) => log.record(deletedEvent(obj, performance.now())),
    });
    const ours = (type: PodEvent['type'], extra: (event: PodEvent) => boolean = () => true) => (event: PodEvent) =>
      event.type === type && event.name === DEMO_POD && extra(event);

    factory.start();
    try {
      const synced = await informer.waitForCacheSync(AbortSignal.timeout(EVENT_TIMEOUT_MS));
      if (!synced) throw new Error(`the informer on pods in namespace ${namespace} did not sync within ${EVENT_TIMEOUT_MS / 1000} s`);
      ctx.out.line(`  namespace ${namespace}: synced at resourceVersion ${informer.lastSyncResourceVersion()}, ${lister.list().length} pods cached`);
      ctx.out.row(HEADERS, WIDTHS);

      const latencies: number[] = [];
      actionAt = performance.now();
      await createPod(pods);
      const added = await log.waitFor(`ADDED for pod ${DEMO_POD}`, ours('ADDED'), EVENT_TIMEOUT_MS);
      latencies.push(added.at - actionAt);

      actionAt = performance.now();
      await pods.patch(DEMO_POD, PatchType.StrategicMerge, { metadata: { labels: { [LABEL]: 'changed' } } });
      const modified = await log.waitFor(`MODIFIED for pod ${DEMO_POD} with ${LABEL}=changed`, ours('MODIFIED', (e) => e.pod.metadata?.labels?.[LABEL] === 'changed'), EVENT_TIMEOUT_MS);
      // The lister reads the informer's cache: no request, and it already has the change.
      const cached = lister.byNamespace(namespace).get(DEMO_POD)?.metadata?.labels?.[LABEL];
      latencies.push(modified.at - actionAt);

      actionAt = performance.now();
      await pods.delete(DEMO_POD, { gracePeriodSeconds: 0 });
      const deleted = await log.waitFor(`DELETED for pod ${DEMO_POD}`, ours('DELETED'), EVENT_TIMEOUT_MS);
      latencies.push(deleted.at - actionAt);

      const stats = informer.reflectorStats();
      ctx.out.line(ctx.out.dim(`  (AFTER: from the demo's request to the handler; the lister read ${LABEL}=${cached} from the cache, no request)`));
      ctx.out.line(
        ctx.out.dim(`  (the informer sent ${stats.lists} list, ${stats.watchLists} watch-list and ${stats.watches} watch requests; watches are not in the request count)`),
      );
      return `${[added, modified, deleted].map((e) => e.type).join(', ')}, each ≤ ${Math.ceil(Math.max(...latencies))} ms after its request`;
    } finally {
      await factory.shutdown();
    }
  },
};

/**
 * Creates the demo's pod. In a namespace made a moment ago, a real cluster may refuse it until
 * its service-account controller has made the `default` ServiceAccount: wait for that, bounded.
 */
async function createPod(pods: ReturnType<ReturnType<typeof coreV1>['pods']>): Promise<void> {
  const deadline = performance.now() + EVENT_TIMEOUT_MS;
  while (true) {
    try {
      await pods.create({
        metadata: { name: DEMO_POD, labels: { [LABEL]: 'created' } },
        spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
      });
      return;
    } catch (error) {
      const waitingForServiceAccount = isForbidden(error) && /service ?account/i.test((error as Error).message);
      if (!waitingForServiceAccount || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// The informer walkthrough: a shared informer prints pod events while this program creates, changes and deletes a pod.
//
// client-go:
//   factory := informers.NewSharedInformerFactoryWithOptions(clientset, 0, informers.WithNamespace(ns))
//   podInformer := factory.Core().V1().Pods().Informer()
//   podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: …, UpdateFunc: …, DeleteFunc: …})
//   factory.Start(ctx.Done()); cache.WaitForCacheSync(ctx.Done(), podInformer.HasSynced)
//
// It writes only in a namespace it creates (kgo-informer-example-<random>) and deletes at the end.
// Run: node informer-pod-events.ts   (npm install @kgo/informer @kgo/kubeconfig @kgo/rest @kgo/typed; uses KUBECONFIG or ~/.kube/config)
import { DeletedFinalStateUnknown, SharedInformerFactory } from '@kgo/informer';
import { loadConfig } from '@kgo/kubeconfig';
import { isForbidden, PatchType } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { coreV1, type Pod } from '@kgo/typed/core/v1';

const POD = 'informer-example';
/** Every wait is bounded: an event that does not come is an error, not a hang. */
const TIMEOUT_MS = 20_000;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
const events: { type: EventType; pod: Pod }[] = [];
let wake = () => {};

/** Prints an event as the informer delivers it, and wakes whoever waits for one. */
function record(type: EventType, pod: Pod): void {
  events.push({ type, pod });
  const detail = `label step=${pod.metadata?.labels?.step ?? ''}${pod.metadata?.deletionTimestamp ? ', deleting' : ''}`;
  console.log(`${type.padEnd(11)}${(pod.metadata?.name ?? '').padEnd(19)}${(pod.metadata?.resourceVersion ?? '').padEnd(18)}${detail}`);
  wake();
}

/** Waits for the next event of `type` for the pod (after those already matched, so the order is checked too). */
let matched = 0;
async function nextEvent(type: EventType, accept: (pod: Pod) => boolean = () => true): Promise<Pod> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (true) {
    const index = events.findIndex((event, i) => i >= matched && event.type === type && event.pod.metadata?.name === POD && accept(event.pod));
    if (index !== -1) {
      matched = index + 1;
      return events[index]!.pod;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the informer delivered no ${type} event for pod ${POD} within ${TIMEOUT_MS / 1000} s`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

const { config } = await loadConfig();
const clientset = createClientSet(config, { coreV1 });
const created = await clientset.coreV1().namespaces().create({ metadata: { generateName: 'kgo-informer-example-' } });
const namespace = created.metadata!.name!;
// One informer per resource, shared by every caller that asks the factory; a typed client is its ListerWatcher as it is.
const factory = new SharedInformerFactory(undefined, { namespace });

try {
  const { informer, lister } = factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods' }, (ns) => clientset.coreV1().pods(ns));
  informer.addEventHandler({
    onAdd: (pod) => record('ADDED', pod),
    onUpdate: (_old, pod) => record('MODIFIED', pod),
    // A delete the informer missed (its watch was down) comes as a tombstone holding the last known state.
    onDelete: (obj) => record('DELETED', DeletedFinalStateUnknown.isInstance(obj) ? (obj.obj as Pod) : obj),
  });
  factory.start();
  if (!(await informer.waitForCacheSync(AbortSignal.timeout(TIMEOUT_MS)))) throw new Error(`the informer did not sync within ${TIMEOUT_MS / 1000} s`);
  console.log(`namespace ${namespace}: synced at resourceVersion ${informer.lastSyncResourceVersion()}`);
  console.log(`${'EVENT'.padEnd(11)}${'NAME'.padEnd(19)}${'RESOURCEVERSION'.padEnd(18)}DETAIL`);

  const pods = clientset.coreV1().pods(namespace);
  // A new namespace may refuse pods until the cluster has made its `default` ServiceAccount (a second, at most).
  for (const deadline = Date.now() + TIMEOUT_MS; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
    try {
      await pods.create({ metadata: { name: POD, labels: { step: 'created' } }, spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } });
      break;
    } catch (error) {
      if (!isForbidden(error) || !/service ?account/i.test(String(error)) || Date.now() > deadline) throw error;
    }
  }
  await nextEvent('ADDED');

  await pods.patch(POD, PatchType.StrategicMerge, { metadata: { labels: { step: 'changed' } } });
  await nextEvent('MODIFIED', (pod) => pod.metadata?.labels?.step === 'changed');
  // Reads go to the informer's cache: no request. (Do not mutate what a lister returns: it is the cache.)
  const cached = lister.byNamespace(namespace).get(POD);

  await pods.delete(POD, { gracePeriodSeconds: 0 });
  await nextEvent('DELETED');
  console.log(`the lister had label step=${cached?.metadata?.labels?.step}; it now has ${lister.byNamespace(namespace).list().length} pods`);
} finally {
  await factory.shutdown();
  await clientset.coreV1().namespaces().delete(namespace);
  await clientset.close();
}

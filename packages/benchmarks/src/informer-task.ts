/**
 * The informer task of the JavaScript workers (src/worker.ts), the same steps as client-go's
 * (go/informer.go), each implementation as its users write it:
 *
 * - `kgo-typed` (the row `kgo`): `new SharedIndexInformer(clientSet.coreV1().configMaps(ns))` —
 *   @kgo/informer over the @kgo/typed client, which is a ListerWatcher as it is; every default
 *   kept (watch-list on, as in client-go v0.37);
 * - `client-node`: `makeInformer(kc, '/api/v1/namespaces/<ns>/configmaps', () => api.listNamespacedConfigMap({ namespace }))`
 *   (a LIST, then a watch from its resourceVersion: client-node has no watch-list).
 *
 * Steps: (1) baseline — library loaded, client made, one LIST of one object through it (the
 * connection open, the request code compiled: costs of any first request, not of the cache),
 * a full GC: live heap (`heapUsed + external`) and VmRSS; (2) start → synced (kgo: `waitForCacheSync`; client-node: `start()`
 * resolves once the list is in its cache and the watch is open): time and CPU, the cache must
 * hold `expectedItems` objects and the handler must have had as many adds; (3) a full GC, live
 * heap and VmRSS again; (4) `READY` on stderr, then the orchestrator patches `updates` cached
 * objects with the label `updateLabel=updateToken` and the handler counts the update events
 * carrying it: events/s from the first to the last, CPU from READY to the last.
 */
import type { BenchConnection } from './cluster.ts';
import type { ClientName } from './clients/index.ts';
import { type Job, type JobResult, required } from './job.ts';
import { cpuMsSince, rssKiB } from './proc-status.ts';

/** What the measuring code needs of an informer. */
interface InformerUnderTest {
  /** One LIST of one object through the same client, before the baseline: connection and request code warm. */
  warm(): Promise<void>;
  /** Starts it; resolves once it has synced. */
  start(): Promise<void>;
  /** Objects in its cache. */
  cached(): number;
  stop(): void;
}

interface Labelled {
  metadata?: { labels?: Record<string, string> | undefined } | undefined;
}

interface Handlers {
  onAdd(): void;
  onUpdate(object: Labelled): void;
}

/** Runs the informer task for a JavaScript client (needs `--expose-gc`). */
export async function informerTask(name: ClientName, connection: BenchConnection, job: Job): Promise<Omit<JobResult, 'peakRssKiB' | 'cpuMs'>> {
  const namespace = required(job.namespace, 'namespace');
  const expected = required(job.expectedItems, 'expectedItems');
  const updates = required(job.updates, 'updates');
  const label = required(job.updateLabel, 'updateLabel');
  const token = required(job.updateToken, 'updateToken');

  let adds = 0;
  let updated = 0;
  let first = 0;
  let last = 0;
  let allAdds: () => void = () => {};
  let allUpdates: () => void = () => {};
  const addsDone = new Promise<void>((resolve) => {
    allAdds = resolve;
  });
  const updatesDone = new Promise<void>((resolve) => {
    allUpdates = resolve;
  });
  const handlers: Handlers = {
    onAdd: () => {
      if (++adds === expected) allAdds();
    },
    onUpdate: (object) => {
      if (object.metadata?.labels?.[label] !== token) return;
      const now = performance.now();
      if (++updated === 1) first = now;
      if (updated === updates) {
        last = now;
        allUpdates();
      }
    },
  };
  const informer = await makeInformer(name, connection, namespace, handlers);

  await informer.warm();
  const base = { heap: await liveHeapBytes(), rss: rssKiB() };
  let cpu = process.cpuUsage();
  const started = performance.now();
  await within(informer.start(), 120_000, () => `${name}: the informer did not sync within 2 minutes`);
  const syncMs = performance.now() - started;
  const syncCpuMs = cpuMsSince(cpu);
  if (informer.cached() !== expected) throw new Error(`${name}: the synced informer holds ${informer.cached()} ConfigMaps, expected ${expected}`);
  await within(addsDone, 60_000, () => `${name}: the handler had ${adds} adds a minute after sync, expected ${expected}`);
  const synced = { heap: await liveHeapBytes(), rss: rssKiB() };

  process.stderr.write(`READY ${syncMs.toFixed(1)}\n`);
  cpu = process.cpuUsage();
  await within(updatesDone, 300_000, () => `${name}: ${updated} of ${updates} update events arrived within 5 minutes`);
  const updateCpuMs = cpuMsSince(cpu);
  informer.stop();
  return {
    syncMs,
    syncCpuMs,
    cached: expected,
    baseHeapBytes: base.heap,
    heapBytes: synced.heap,
    baseRssKiB: base.rss,
    rssKiB: synced.rss,
    events: updated,
    ms: last - first,
    updateCpuMs,
  };
}

async function makeInformer(name: ClientName, connection: BenchConnection, namespace: string, handlers: Handlers): Promise<InformerUnderTest> {
  switch (name) {
    case 'kgo-typed':
      return kgoInformer(connection, namespace, handlers);
    case 'client-node':
      return clientNodeInformer(connection, namespace, handlers);
    default:
      throw new Error(`worker.ts: no informer for ${name} (kgo-typed or client-node)`);
  }
}

async function kgoInformer(connection: BenchConnection, namespace: string, handlers: Handlers): Promise<InformerUnderTest> {
  const [{ SharedIndexInformer }, { createClientSet }, { coreV1 }, { kgoConfig }] = await Promise.all([
    import('@kgo/informer'),
    import('@kgo/typed'),
    import('@kgo/typed/core/v1'),
    import('./clients/kgo.ts'),
  ]);
  const clientSet = createClientSet(kgoConfig(connection), { coreV1 });
  // KGO_BENCH_INFORMER_WATCHLIST=0: sync by LIST and watch, as client-node does (a comparison, not the default).
  const informer = new SharedIndexInformer(clientSet.coreV1().configMaps(namespace), { useWatchList: process.env.KGO_BENCH_INFORMER_WATCHLIST !== '0' });
  informer.addEventHandler({ onAdd: () => handlers.onAdd(), onUpdate: (_old, object) => handlers.onUpdate(object) });
  const stop = new AbortController();
  return {
    warm: async () => {
      await clientSet.coreV1().configMaps(namespace).list({ limit: 1 });
    },
    start: async () => {
      void informer.run(stop.signal);
      if (!(await informer.waitForCacheSync(AbortSignal.timeout(120_000)))) throw new Error('kgo: the informer stopped before it synced');
    },
    cached: () => informer.getStore().list().length,
    stop: () => stop.abort(),
  };
}

async function clientNodeInformer(connection: BenchConnection, namespace: string, handlers: Handlers): Promise<InformerUnderTest> {
  const { CoreV1Api, makeInformer: makeClientNodeInformer } = await import('@kubernetes/client-node');
  const { clientNodeConfig } = await import('./clients/client-node.ts');
  const kc = clientNodeConfig(connection);
  const api = kc.makeApiClient(CoreV1Api);
  const informer = makeClientNodeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => api.listNamespacedConfigMap({ namespace }));
  informer.on('add', () => handlers.onAdd());
  informer.on('update', (object) => handlers.onUpdate(object));
  let failure: unknown;
  informer.on('error', (error) => {
    failure ??= error;
  });
  return {
    warm: async () => {
      await api.listNamespacedConfigMap({ namespace, limit: 1 });
    },
    start: async () => {
      await informer.start();
      // client-node reports a failed list through 'error' and resolves start() all the same.
      if (failure) throw failure;
    },
    cached: () => informer.list(namespace).length,
    stop: () => void informer.stop(),
  };
}

/**
 * The live heap after a full collection: V8's heap in use plus memory outside it held by JS
 * objects (`external`, which includes ArrayBuffers), bytes. The event loop turns first: a
 * response's last callback (a zlib stream's, holding the inflated body) may still be on the
 * stack when the await that measures resumes.
 */
async function liveHeapBytes(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('worker.ts: the informer task needs node --expose-gc');
  gc();
  gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
}

/** `promise`, or a rejection with `message()` (read when the time is up) after `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/*
 * A complete controller on @kgo/informer: a Widget custom resource (example.kgo.dev/v1), an
 * informer on Widgets and one on the ConfigMaps it manages, a rate-limited workqueue with two
 * workers reconciling each Widget into a ConfigMap `widget-<name>`, all under leader election, so
 * only one replica reconciles at a time.
 *
 * `src/examples.integration.test.ts` runs it against envtest. To run it against a cluster of your
 * own, build the HttpClient from a kubeconfig:
 *
 *   import { loadConfig } from '@kgo/kubeconfig';
 *   const { config } = await loadConfig();
 *   const http = new HttpClient(config);
 *   await installWidgetCrd(http);
 *   await runWidgetController({ http, namespace: 'default', identity: hostname(), signal });
 */
import { hostname } from 'node:os';
import { HttpClient, isAlreadyExists, isNotFound, type KubeObject, RestClient } from '@kgo/rest';
import {
  DeletedFinalStateUnknown,
  LeaderElector,
  LeaseLock,
  listerWatcherFor,
  metaNamespaceKeyFunc,
  RateLimitingQueue,
  SharedIndexInformer,
  splitMetaNamespaceKey,
} from '@kgo/informer';

/** A Widget: its spec.message ends up in a ConfigMap. */
export interface Widget extends KubeObject {
  spec?: { message?: string };
}

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const GROUP = 'example.kgo.dev';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const CONTROLLER = 'widget-controller';

/** The Widget CustomResourceDefinition. */
export const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
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
            properties: { spec: { type: 'object', properties: { message: { type: 'string' } } } },
          },
        },
      },
    ],
  },
};

/** Creates the Widget CRD (if missing) and waits until the server serves it. */
export async function installWidgetCrd(http: HttpClient, signal: AbortSignal = AbortSignal.timeout(60_000)): Promise<void> {
  const apiextensions = new RestClient(http, { groupVersion: { group: 'apiextensions.k8s.io', version: 'v1' } });
  await apiextensions.post().resource('customresourcedefinitions').body(widgetCrd).do().catch((error: unknown) => {
    if (!isAlreadyExists(error)) throw error;
  });
  while (!signal.aborted) {
    const crd = await apiextensions.get().resource('customresourcedefinitions').name(widgetCrd.metadata.name).do().into<{ status?: { conditions?: { type: string; status: string }[] } }>();
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`CRD ${widgetCrd.metadata.name} was not established in time`);
}

/** Options of {@link runWidgetController}. */
export interface WidgetControllerOptions {
  http: HttpClient;
  /** The namespace whose Widgets this controller reconciles. */
  namespace: string;
  /** This replica's identity for leader election. Default: the host name. */
  identity?: string;
  /** Stops the controller (it then releases the lease). */
  signal: AbortSignal;
  /** Name of the Lease. Default `widget-controller`. */
  leaseName?: string;
  /** Called after each reconcile (for tests and logs). */
  onReconciled?: (key: string) => void;
  /** Lease timing (client-go defaults: 15 s, 10 s, 2 s). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/** Campaigns for leadership; while leading, runs the controller. Resolves when `signal` aborts. */
export async function runWidgetController(options: WidgetControllerOptions): Promise<void> {
  // An elector campaigns once; if this replica loses the lease (not renewed in time), it campaigns again.
  while (!options.signal.aborted) {
    const elector = new LeaderElector({
      lock: new LeaseLock({ client: options.http, namespace: options.namespace, name: options.leaseName ?? CONTROLLER, identity: options.identity ?? hostname() }),
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      releaseOnCancel: true,
      callbacks: {
        onStartedLeading: (leading) => controller(options, leading),
        onStoppedLeading: () => {},
      },
    });
    await elector.run(options.signal);
  }
}

/** The controller proper: informers, a queue, two workers. Runs until `signal` aborts. */
async function controller(options: WidgetControllerOptions, signal: AbortSignal): Promise<void> {
  const { http, namespace } = options;
  const widgetsClient = new RestClient(http, { groupVersion: { group: GROUP, version: 'v1' } });
  const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });

  const widgets = new SharedIndexInformer(listerWatcherFor<Widget>(widgetsClient, 'widgets', { namespace }));
  const configMaps = new SharedIndexInformer(
    listerWatcherFor<ConfigMap>(core, 'configmaps', { namespace, tweakListOptions: (o) => ({ ...o, labelSelector: `${MANAGED_BY}=${CONTROLLER}` }) }),
  );
  const queue = new RateLimitingQueue<string>({ name: 'widgets' });

  // Every change to a Widget, and to a ConfigMap it owns, queues the Widget's key.
  const enqueue = (obj: Widget | DeletedFinalStateUnknown<Widget>) => queue.add(metaNamespaceKeyFunc(obj));
  widgets.addEventHandler({ onAdd: enqueue, onUpdate: (_, obj) => enqueue(obj), onDelete: enqueue });
  const enqueueOwner = (obj: ConfigMap | DeletedFinalStateUnknown<ConfigMap>) => {
    const cm = DeletedFinalStateUnknown.isInstance(obj) ? obj.obj : obj;
    const owner = cm.metadata?.ownerReferences?.find((ref) => ref.kind === 'Widget' && ref.apiVersion === `${GROUP}/v1`);
    if (owner) queue.add(`${cm.metadata?.namespace}/${owner.name}`);
  };
  configMaps.addEventHandler({ onUpdate: (_, obj) => enqueueOwner(obj), onDelete: enqueueOwner });

  const running = [widgets.run(signal), configMaps.run(signal)];
  if (!(await widgets.waitForCacheSync(signal)) || !(await configMaps.waitForCacheSync(signal))) return;

  /** Makes the Widget's ConfigMap match its spec, or removes it when the Widget is gone. */
  async function reconcile(key: string): Promise<void> {
    const { name } = splitMetaNamespaceKey(key);
    const widget = widgets.lister().byNamespace(namespace).get(name);
    const cmName = `widget-${name}`;
    const existing = configMaps.lister().byNamespace(namespace).get(cmName);
    if (!widget) {
      // envtest runs no garbage collector, so the controller deletes what it made.
      if (!existing) return;
      await core.delete().namespace(namespace).resource('configmaps').name(cmName).do().catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      return;
    }
    const data = { message: widget.spec?.message ?? '' };
    if (existing && existing.data?.message === data.message) return;
    const desired: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: cmName,
        namespace,
        labels: { [MANAGED_BY]: CONTROLLER },
        ownerReferences: [{ apiVersion: `${GROUP}/v1`, kind: 'Widget', name, uid: widget.metadata!.uid!, controller: true }],
        // Optimistic concurrency: an update based on a stale cache fails with 409 and is retried.
        resourceVersion: existing?.metadata?.resourceVersion,
      },
      data,
    };
    if (existing) await core.put().namespace(namespace).resource('configmaps').name(cmName).body(desired).do();
    else await core.post().namespace(namespace).resource('configmaps').body(desired).do();
  }

  async function worker(): Promise<void> {
    while (true) {
      const { item: key, shutdown } = await queue.get();
      if (shutdown) return;
      try {
        await reconcile(key);
        queue.forget(key);
        options.onReconciled?.(key);
      } catch {
        queue.addRateLimited(key); // retried with per-key exponential backoff
      } finally {
        queue.done(key);
      }
    }
  }

  const workers = [worker(), worker()];
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await queue.shutDownWithDrain();
  await Promise.all([...workers, ...running]);
}

/*
 * Shared test helpers: clients for the test cluster, namespaces, ConfigMaps, and a handler that
 * checks every event against what it was told before.
 */
import { isInternalError, isNotFound, isServerTimeout, isServiceUnavailable, isTimeout, isTooManyRequests, type KubeObject, RequestError, RestClient } from '@kgo/rest';
import { DeletedFinalStateUnknown } from '../cache/deleted-final-state-unknown.ts';
import type { ResourceEventHandler } from '../cache/event-handler.ts';
import { metaNamespaceKeyFunc } from '../cache/keys.ts';

/** A ConfigMap. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string> | undefined;
}

/** A core/v1 RestClient over a RestConfig-shaped object (envtest's or the proxy's). */
export function coreClient(config: object): RestClient {
  return new RestClient(config as ConstructorParameters<typeof RestClient>[0], { groupVersion: { group: '', version: 'v1' } });
}

export async function createNamespace(core: RestClient, name: string): Promise<void> {
  await core.post().resource('namespaces').body({ metadata: { name } }).do();
}

/** Deletes a namespace, not waiting for it to go. */
export async function deleteNamespace(core: RestClient, name: string): Promise<void> {
  await core.delete().resource('namespaces').name(name).do().catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
}

export function configMap(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

export async function createConfigMap(core: RestClient, namespace: string, cm: ConfigMap): Promise<ConfigMap> {
  return core.post().namespace(namespace).resource('configmaps').body(cm).do().into<ConfigMap>();
}

export async function listConfigMaps(core: RestClient, namespace: string, labelSelector?: string): Promise<ConfigMap[]> {
  const list = await core.get().namespace(namespace).resource('configmaps').params({ labelSelector }).do().into<{ items: ConfigMap[] }>();
  return list.items;
}

/** Resolves once `condition` holds, checking every `intervalMs`; rejects with `message` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number, message: () => string, intervalMs = 25): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    if (await condition()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const rv = (obj: KubeObject | undefined): number => Number(obj?.metadata?.resourceVersion ?? Number.NaN);

/**
 * A handler that keeps its own view of the objects from the events alone and notes every event
 * that does not fit it: an add of an object it has, an update or delete of one it does not have
 * (before its add, or after its delete), an update whose old object is not the one it was last
 * given, or a resourceVersion going back.
 */
export class ConsistencyChecker<T extends KubeObject> implements ResourceEventHandler<T> {
  readonly state = new Map<string, T>();
  readonly violations: string[] = [];
  readonly counts = { add: 0, update: 0, delete: 0, tombstones: 0, resyncs: 0 };
  readonly tombstones: DeletedFinalStateUnknown<T>[] = [];

  onAdd(obj: T): void {
    this.counts.add++;
    const key = metaNamespaceKeyFunc(obj);
    if (this.state.has(key)) this.violations.push(`add of ${key} while it is present`);
    this.state.set(key, obj);
  }

  onUpdate(oldObj: T, newObj: T): void {
    const key = metaNamespaceKeyFunc(newObj);
    const known = this.state.get(key);
    if (rv(oldObj) === rv(newObj)) this.counts.resyncs++;
    else this.counts.update++;
    if (!known) this.violations.push(`update of ${key} before its add or after its delete`);
    else if (known.metadata?.resourceVersion !== oldObj.metadata?.resourceVersion) {
      this.violations.push(`update of ${key}: old resourceVersion ${oldObj.metadata?.resourceVersion}, last delivered ${known.metadata?.resourceVersion}`);
    }
    if (rv(newObj) < rv(oldObj)) this.violations.push(`update of ${key} went back from ${rv(oldObj)} to ${rv(newObj)}`);
    this.state.set(key, newObj);
  }

  onDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    this.counts.delete++;
    const key = metaNamespaceKeyFunc(obj);
    if (DeletedFinalStateUnknown.isInstance(obj)) {
      this.counts.tombstones++;
      this.tombstones.push(obj as DeletedFinalStateUnknown<T>);
    }
    if (!this.state.has(key)) this.violations.push(`delete of ${key} before its add or after its delete`);
    this.state.delete(key);
  }

  /** `key → resourceVersion` of what the events say exists. */
  versions(): Map<string, string> {
    return new Map([...this.state].map(([key, obj]) => [key, obj.metadata?.resourceVersion ?? '']));
  }
}

/** `key → resourceVersion` of objects. */
export function versionsOf(objects: KubeObject[]): Map<string, string> {
  return new Map(objects.map((obj) => [metaNamespaceKeyFunc(obj), obj.metadata?.resourceVersion ?? '']));
}

/** Failures a write may meet while kube-apiserver restarts (refused, reset, 5xx, 429): worth sending again. */
export function isTransient(error: unknown): boolean {
  return RequestError.isInstance(error) || isServiceUnavailable(error) || isTooManyRequests(error) || isInternalError(error) || isTimeout(error) || isServerTimeout(error);
}

/**
 * Sends a write until it succeeds, through an API server restart (transient failures, 100 ms
 * apart, for at most `deadlineMs`). An attempt whose answer was lost may have been applied:
 * when a later attempt is refused, `onLostAnswer` may turn that refusal into the outcome
 * (AlreadyExists after a create, NotFound after a delete); `counts.retries` counts retries.
 */
export async function untilWritten<R>(
  attempt: () => Promise<R>,
  onLostAnswer: (error: unknown) => Promise<R> | undefined,
  counts: { retries: number },
  deadlineMs = 90_000,
): Promise<R> {
  const deadline = performance.now() + deadlineMs;
  let failedBefore = false;
  while (true) {
    try {
      return await attempt();
    } catch (error) {
      if (failedBefore) {
        const outcome = onLostAnswer(error);
        if (outcome) return outcome;
      }
      if (!isTransient(error) || performance.now() > deadline) throw error;
      failedBefore = true;
      counts.retries++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Churn: `writers` loops make `changes` changes in all, each to an object (by index, below
 * `objects`) no other loop is changing at that moment; `halfway` runs once, at the middle.
 */
export async function churn(options: { objects: number; changes: number; writers: number; halfway?: () => void; change: (index: number, step: number) => Promise<void> }): Promise<void> {
  const busy = new Set<number>();
  let done = 0;
  let halfway = false;
  async function writer(): Promise<void> {
    while (done < options.changes) {
      const step = ++done;
      if (!halfway && step >= options.changes / 2) {
        halfway = true;
        options.halfway?.();
      }
      let index = Math.floor(Math.random() * options.objects);
      while (busy.has(index)) index = (index + 1) % options.objects;
      busy.add(index);
      try {
        await options.change(index, step);
      } finally {
        busy.delete(index);
      }
    }
  }
  await Promise.all(Array.from({ length: options.writers }, () => writer()));
}

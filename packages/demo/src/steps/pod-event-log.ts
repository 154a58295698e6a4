import { DeletedFinalStateUnknown } from '@kgo/informer';
import type { Pod } from '@kgo/typed/core/v1';

/** The event types `kubectl get --watch -o json` and client-go's watch.EventType name. */
export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One event an informer handler received, as the demo prints it. */
export interface PodEvent {
  type: PodEventType;
  name: string;
  resourceVersion: string;
  /** A few words on what the event says: the phase, what changed, a tombstone. */
  detail: string;
  /** `performance.now()` when the handler ran. */
  at: number;
  /** The pod, or its last known state for a tombstone. */
  pod: Pod;
}

/** `phase Pending`, plus the node when the pod is scheduled. */
export function describeAdded(pod: Pod): string {
  const node = pod.spec?.nodeName ? `, node ${pod.spec.nodeName}` : '';
  return `phase ${pod.status?.phase ?? '(none)'}${node}`;
}

/** What an update changed, in the terms a reader checks first: labels, node, phase, deletion. */
export function describeModified(old: Pod, pod: Pod): string {
  const changes: string[] = [];
  const before = old.metadata?.labels ?? {};
  const after = pod.metadata?.labels ?? {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] === after[key]) continue;
    changes.push(after[key] === undefined ? `label ${key} removed` : `label ${key}=${after[key]}`);
  }
  if (!old.spec?.nodeName && pod.spec?.nodeName) changes.push(`scheduled to ${pod.spec.nodeName}`);
  if (old.status?.phase !== pod.status?.phase) changes.push(`phase ${old.status?.phase ?? '(none)'} → ${pod.status?.phase ?? '(none)'}`);
  if (!old.metadata?.deletionTimestamp && pod.metadata?.deletionTimestamp) changes.push('deletion requested');
  if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) changes.push('resync (unchanged)');
  return changes.length > 0 ? changes.join(', ') : 'status or metadata changed';
}

/** The final state the delete carried, or that the informer missed the delete itself. */
export function describeDeleted(pod: Pod, tombstone: boolean): string {
  return tombstone ? 'missed while the watch was down: last known state' : `final phase ${pod.status?.phase ?? '(none)'}`;
}

/** The event of a delete handler's argument (a pod, or a tombstone holding the last known pod). */
export function deletedEvent(obj: Pod | DeletedFinalStateUnknown<Pod>, at: number): PodEvent {
  if (DeletedFinalStateUnknown.isInstance(obj)) return podEvent('DELETED', obj.obj as Pod, describeDeleted(obj.obj as Pod, true), at);
  return podEvent('DELETED', obj, describeDeleted(obj, false), at);
}

/** A {@link PodEvent} for `pod`. */
export function podEvent(type: PodEventType, pod: Pod, detail: string, at: number): PodEvent {
  return { type, name: pod.metadata?.name ?? '', resourceVersion: pod.metadata?.resourceVersion ?? '', detail, at, pod };
}

/**
 * The events in the order the informer delivered them, with bounded waits for the one the demo
 * expects next: each wait looks only after the event the previous wait found, so a match also
 * proves the order.
 */
export class PodEventLog {
  readonly events: PodEvent[] = [];
  readonly #onEvent: (event: PodEvent) => void;
  readonly #wake = new Set<() => void>();
  #cursor = 0;

  /** @param onEvent called as each event is recorded (the demo prints its row) */
  constructor(onEvent: (event: PodEvent) => void) {
    this.#onEvent = onEvent;
  }

  record(event: PodEvent): void {
    this.events.push(event);
    this.#onEvent(event);
    for (const wake of this.#wake) wake();
  }

  /**
   * Resolves with the first event after the last one found that matches; rejects after
   * `timeoutMs` with an error naming `what` and the events seen so far.
   */
  waitFor(what: string, match: (event: PodEvent) => boolean, timeoutMs: number): Promise<PodEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.events.findIndex((event, i) => i >= this.#cursor && match(event));
        if (index === -1) return;
        this.#cursor = index + 1;
        done();
        resolve(this.events[index] as PodEvent);
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events.map((event) => `${event.type} ${event.name}`).join(', ') || 'none';
        reject(new Error(`the informer delivered no ${what} within ${timeoutMs / 1000} s (events so far: ${seen})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(check);
      };
      this.#wake.add(check);
      check();
    });
  }
}

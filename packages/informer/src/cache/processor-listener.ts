/*
 * client-go's processorListener: one per handler, with an unbounded buffer, so a slow handler
 * delays only itself, never the store or the other handlers. Notifications are delivered in
 * order; a handler's promise is awaited before its next notification.
 */
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { Fifo } from '../utils/fifo.ts';
import type { ResourceEventHandler } from './event-handler.ts';

/** One change for a handler. */
export type Notification<T> =
  | { type: 'add'; obj: T; isInInitialList: boolean }
  | { type: 'update'; oldObj: T; newObj: T }
  | { type: 'delete'; obj: T | DeletedFinalStateUnknown<T> };

export class ProcessorListener<T> {
  readonly handler: ResourceEventHandler<T>;
  /** How often this handler wants a resync (0: never). */
  readonly resyncPeriodMs: number;
  /** When this handler's next resync is due (performance.now() time). */
  nextResyncAt = 0;
  readonly #onError: (error: unknown) => void;
  readonly #buffer = new Fifo<Notification<T>>();
  #draining = false;
  #stopped = false;
  /** Initial-list notifications not yet handled (for the registration's hasSynced). */
  #pendingInitial = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(handler: ResourceEventHandler<T>, resyncPeriodMs: number, onError: (error: unknown) => void) {
    this.handler = handler;
    this.resyncPeriodMs = resyncPeriodMs;
    this.#onError = onError;
  }

  /** True while initial-list notifications wait to be handled. */
  get initialPending(): boolean {
    return this.#pendingInitial > 0;
  }

  /** Notifications waiting to be handled. */
  get pending(): number {
    return this.#buffer.length;
  }

  add(notification: Notification<T>): void {
    if (this.#stopped) return;
    if (notification.type === 'add' && notification.isInInitialList) this.#pendingInitial++;
    this.#buffer.push(notification);
    if (!this.#draining) {
      this.#draining = true;
      queueMicrotask(() => void this.#drain());
    }
  }

  /** Drops what is buffered and delivers nothing more. */
  stop(): void {
    this.#stopped = true;
    this.#buffer.clear();
    this.#pendingInitial = 0;
    this.#wakeIdle();
  }

  /** Resolves once everything buffered so far has been handled. */
  idle(): Promise<void> {
    if (!this.#draining) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0 && !this.#stopped) {
      const notification = this.#buffer.shift()!;
      try {
        const result = this.#deliver(notification);
        if (result) await result;
      } catch (error) {
        this.#onError(error);
      } finally {
        if (notification.type === 'add' && notification.isInInitialList && this.#pendingInitial > 0) this.#pendingInitial--;
      }
    }
    this.#draining = false;
    this.#wakeIdle();
  }

  #deliver(notification: Notification<T>): void | Promise<void> {
    switch (notification.type) {
      case 'add':
        return this.handler.onAdd?.(notification.obj, notification.isInInitialList);
      case 'update':
        return this.handler.onUpdate?.(notification.oldObj, notification.newObj);
      case 'delete':
        return this.handler.onDelete?.(notification.obj);
    }
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}

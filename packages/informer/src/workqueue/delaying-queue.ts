/*
 * client-go util/workqueue/delaying_queue.go: items added with a delay wait in a heap ordered by
 * when they are ready; an item already waiting keeps the earlier of its two ready times.
 */
import { Queue, type QueueOptions } from './queue.ts';

interface Waiting<T> {
  item: T;
  readyAt: number;
  index: number;
}

/**
 * A {@link Queue} with {@link DelayingQueue.addAfter} (client-go's `DelayingInterface`).
 *
 * @example
 * ```ts
 * const queue = new DelayingQueue<string>();
 * queue.addAfter('default/web', 5_000); // handed out in 5 s
 * ```
 */
export class DelayingQueue<T> extends Queue<T> {
  readonly #heap: Waiting<T>[] = [];
  readonly #waiting = new Map<T, Waiting<T>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(options: QueueOptions = {}) {
    super(options);
  }

  /** Adds `item` once `delayMs` has passed (at once for 0 or less). Ignored after shutdown. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retry();
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = performance.now() + delayMs;
    const existing = this.#waiting.get(item);
    if (existing) {
      if (readyAt >= existing.readyAt) return;
      existing.readyAt = readyAt;
      this.#up(existing.index);
    } else {
      const entry: Waiting<T> = { item, readyAt, index: this.#heap.length };
      this.#heap.push(entry);
      this.#waiting.set(item, entry);
      this.#up(entry.index);
    }
    this.#arm();
  }

  /** Items waiting for their delay to pass. */
  waitingLen(): number {
    return this.#heap.length;
  }

  protected override onShutDown(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #arm(): void {
    const first = this.#heap[0];
    if (!first || first.readyAt >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = first.readyAt;
    this.#timer = setTimeout(() => this.#release(), Math.max(0, first.readyAt - performance.now()));
  }

  #release(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    // Timers may fire a little early; a 1 ms tolerance avoids a second timer for nothing.
    while (this.#heap.length > 0 && this.#heap[0]!.readyAt <= now + 1) {
      const entry = this.#pop();
      this.#waiting.delete(entry.item);
      this.add(entry.item);
    }
    if (!this.shuttingDown()) this.#arm();
  }

  #pop(): Waiting<T> {
    const top = this.#heap[0]!;
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      last.index = 0;
      this.#down(0);
    }
    return top;
  }

  #up(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.readyAt <= heap[index]!.readyAt) break;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    while (true) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.readyAt < heap[smallest]!.readyAt) smallest = left;
      if (right < heap.length && heap[right]!.readyAt < heap[smallest]!.readyAt) smallest = right;
      if (smallest === index) return;
      this.#swap(index, smallest);
      index = smallest;
    }
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    const entryA = heap[a]!;
    const entryB = heap[b]!;
    heap[a] = entryB;
    heap[b] = entryA;
    entryA.index = b;
    entryB.index = a;
  }
}

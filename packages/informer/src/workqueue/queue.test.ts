import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DelayingQueue } from './delaying-queue.ts';
import type { WorkqueueMetricsProvider } from './metrics.ts';
import { Queue } from './queue.ts';

describe('Queue (client-go workqueue.Typed)', () => {
  it('queues a key once however often it is added', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect((await queue.get()).item).toBe('a');
    expect((await queue.get()).item).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('never hands a key to two workers: re-added while processed, it is queued again on done()', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((result) => (second = result.item));
    await Promise.resolve();
    expect(second).toBeUndefined();
    queue.done(first.item!);
    await vi.waitFor(() => expect(second).toBe('a'));
    expect(queue.len()).toBe(0);
  });

  it('wakes a waiting worker on add', async () => {
    const queue = new Queue<string>();
    const pending = queue.get();
    setTimeout(() => queue.add('late'), 5);
    expect(await pending).toEqual({ item: 'late', shutdown: false });
  });

  it('hands out what is queued after shutDown, then reports shutdown; adds are ignored', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    const waiting = new Queue<string>();
    const blocked = waiting.get();
    queue.shutDown();
    waiting.shutDown();
    queue.add('b');
    expect(await queue.get()).toEqual({ item: 'a', shutdown: false });
    expect(await queue.get()).toEqual({ item: undefined, shutdown: true });
    expect(await blocked).toEqual({ item: undefined, shutdown: true });
    expect(queue.shuttingDown()).toBe(true);
  });

  it('shutDownWithDrain waits for the items in progress', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    const { item } = await queue.get();
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(drained).toBe(false);
    queue.done(item!);
    await drain;
    expect(drained).toBe(true);
    await new Queue<string>().shutDownWithDrain(); // nothing in progress: resolves at once
  });

  it('reports depth, adds, latency, work duration and retries to a metrics provider', async () => {
    const seen = { depth: 0, adds: 0, latency: [] as number[], work: [] as number[], retries: 0 };
    const provider: WorkqueueMetricsProvider = {
      newDepthMetric: () => ({ inc: () => seen.depth++, dec: () => seen.depth-- }),
      newAddsMetric: () => ({ inc: () => seen.adds++ }),
      newLatencyMetric: () => ({ observe: (value) => seen.latency.push(value) }),
      newWorkDurationMetric: () => ({ observe: (value) => seen.work.push(value) }),
      newRetriesMetric: () => ({ inc: () => seen.retries++ }),
    };
    const queue = new DelayingQueue<string>({ name: 'test', metricsProvider: provider });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(seen).toMatchObject({ depth: 2, adds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { item } = await queue.get();
    expect(seen.depth).toBe(1);
    expect(seen.latency[0]).toBeGreaterThanOrEqual(0.015);
    await new Promise((resolve) => setTimeout(resolve, 10));
    queue.done(item!);
    expect(seen.work[0]).toBeGreaterThanOrEqual(0.005);
    queue.addAfter('c', 1);
    expect(seen.retries).toBe(1);
    queue.shutDown();
  });
});

describe('DelayingQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('adds items when their delay has passed, in ready order', async () => {
    const queue = new DelayingQueue<string>();
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('now', 0);
    expect(queue.len()).toBe(1);
    expect(queue.waitingLen()).toBe(2);
    vi.advanceTimersByTime(99);
    expect(queue.len()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(queue.len()).toBe(2);
    vi.advanceTimersByTime(200);
    expect(queue.len()).toBe(3);
    expect([(await queue.get()).item, (await queue.get()).item, (await queue.get()).item]).toEqual(['now', 'early', 'late']);
  });

  it('keeps the earlier ready time of an item added twice', () => {
    const queue = new DelayingQueue<string>();
    queue.addAfter('a', 500);
    queue.addAfter('a', 100);
    queue.addAfter('a', 1000);
    expect(queue.waitingLen()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(queue.len()).toBe(1);
    expect(queue.waitingLen()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(queue.len()).toBe(1);
  });

  it('drops waiting items at shutdown', () => {
    const queue = new DelayingQueue<string>();
    queue.addAfter('a', 100);
    queue.shutDown();
    vi.advanceTimersByTime(200);
    expect(queue.len()).toBe(0);
  });
});

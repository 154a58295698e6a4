/*
 * client-go util/workqueue/metrics.go: the queue reports to metrics made by a provider, one set
 * per named queue. Every method of the provider is optional: implement the ones you export
 * (prom-client's Gauge, Counter and Histogram fit these shapes). Durations are in seconds, as in
 * client-go.
 */

/** A gauge that goes up and down (queue depth). */
export interface GaugeMetric {
  inc(): void;
  dec(): void;
}

/** A gauge set to a value (unfinished work, longest-running processor). */
export interface SettableGaugeMetric {
  set(value: number): void;
}

/** A counter (adds, retries). */
export interface CounterMetric {
  inc(): void;
}

/** A distribution of observed values (latency, work duration), in seconds. */
export interface HistogramMetric {
  observe(value: number): void;
}

/** Makes a queue's metrics (client-go's `workqueue.MetricsProvider`). */
export interface WorkqueueMetricsProvider {
  /** Items waiting to be processed. */
  newDepthMetric?(name: string): GaugeMetric;
  /** Every add (deduplicated adds are not counted). */
  newAddsMetric?(name: string): CounterMetric;
  /** Seconds an item waited in the queue before a worker took it. */
  newLatencyMetric?(name: string): HistogramMetric;
  /** Seconds a worker spent on an item (get to done). */
  newWorkDurationMetric?(name: string): HistogramMetric;
  /** Seconds of work in progress not yet done, summed over items (sampled every 500 ms). */
  newUnfinishedWorkSecondsMetric?(name: string): SettableGaugeMetric;
  /** Seconds the longest-running item has been in progress (sampled every 500 ms). */
  newLongestRunningProcessorSecondsMetric?(name: string): SettableGaugeMetric;
  /** Rate-limited and delayed re-adds. */
  newRetriesMetric?(name: string): CounterMetric;
}

const noop = { inc() {}, dec() {}, set() {}, observe() {} };

/** The bookkeeping behind the metrics of one queue. */
export class QueueMetrics<T> {
  readonly #depth: GaugeMetric;
  readonly #adds: CounterMetric;
  readonly #latency: HistogramMetric;
  readonly #workDuration: HistogramMetric;
  readonly #unfinished: SettableGaugeMetric;
  readonly #longestRunning: SettableGaugeMetric;
  readonly #retries: CounterMetric;
  readonly #addTimes = new Map<T, number>();
  readonly #processingStartTimes = new Map<T, number>();
  readonly #enabled: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(name: string, provider: WorkqueueMetricsProvider | undefined) {
    this.#enabled = provider !== undefined;
    this.#depth = provider?.newDepthMetric?.(name) ?? noop;
    this.#adds = provider?.newAddsMetric?.(name) ?? noop;
    this.#latency = provider?.newLatencyMetric?.(name) ?? noop;
    this.#workDuration = provider?.newWorkDurationMetric?.(name) ?? noop;
    this.#unfinished = provider?.newUnfinishedWorkSecondsMetric?.(name) ?? noop;
    this.#longestRunning = provider?.newLongestRunningProcessorSecondsMetric?.(name) ?? noop;
    this.#retries = provider?.newRetriesMetric?.(name) ?? noop;
    if (this.#enabled && (provider?.newUnfinishedWorkSecondsMetric || provider?.newLongestRunningProcessorSecondsMetric)) {
      this.#timer = setInterval(() => this.updateUnfinishedWork(), 500);
      this.#timer.unref?.();
    }
  }

  add(item: T): void {
    if (!this.#enabled) return;
    this.#adds.inc();
    this.#depth.inc();
    if (!this.#addTimes.has(item)) this.#addTimes.set(item, performance.now());
  }

  get(item: T): void {
    if (!this.#enabled) return;
    this.#depth.dec();
    const now = performance.now();
    this.#processingStartTimes.set(item, now);
    const addedAt = this.#addTimes.get(item);
    if (addedAt !== undefined) {
      this.#latency.observe((now - addedAt) / 1000);
      this.#addTimes.delete(item);
    }
  }

  done(item: T): void {
    if (!this.#enabled) return;
    const startedAt = this.#processingStartTimes.get(item);
    if (startedAt !== undefined) {
      this.#workDuration.observe((performance.now() - startedAt) / 1000);
      this.#processingStartTimes.delete(item);
    }
  }

  retry(): void {
    if (this.#enabled) this.#retries.inc();
  }

  updateUnfinishedWork(): void {
    const now = performance.now();
    let total = 0;
    let oldest = 0;
    for (const startedAt of this.#processingStartTimes.values()) {
      const age = (now - startedAt) / 1000;
      total += age;
      oldest = Math.max(oldest, age);
    }
    this.#unfinished.set(total);
    this.#longestRunning.set(oldest);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

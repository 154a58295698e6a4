/*
 * client-go tools/leaderelection/leaderelection.go.
 *
 * Clock-skew safety: a candidate never compares its clock with the times written in the lock
 * (another machine wrote them). It notes, on its own monotonic clock (performance.now()), when
 * it last saw the record change, and takes the lock only when the record has not changed for a
 * whole lease duration since then. The leader gives up when it cannot renew within the renew
 * deadline, which is shorter than the lease duration, so it stops before anyone else can start.
 */
import { isConflict } from '@kgo/rest';
import { jitter, sleep } from '../utils/sleep.ts';
import { formatMicroTime, type LeaderElectionRecord, recordJson } from './leader-election-record.ts';
import type { ResourceLock } from './lease-lock.ts';

/** client-go's `JitterFactor`: retries wait retryPeriod × [1, 2.2). */
const JITTER_FACTOR = 1.2;

/** What the elector calls as leadership comes and goes (client-go's `LeaderCallbacks`). */
export interface LeaderCallbacks {
  /**
   * This candidate became leader. `signal` aborts when it stops leading: stop all leader work
   * then. Not awaited; a rejection is passed to `onError`.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** This candidate stopped leading (lost the lock, or was stopped). Called once per leadership. */
  onStoppedLeading(): void;
  /** The observed leader changed (this candidate included). */
  onNewLeader?(identity: string): void;
}

/** Settings of {@link LeaderElector} (client-go's `LeaderElectionConfig`). */
export interface LeaderElectionConfig {
  lock: ResourceLock;
  /** How long non-leaders wait, after last seeing the record change, before taking the lock. Default 15 s. */
  leaseDurationMs?: number | undefined;
  /** How long the leader keeps retrying a renewal before it gives up leading. Default 10 s. */
  renewDeadlineMs?: number | undefined;
  /** Time between attempts to acquire or renew. Default 2 s. */
  retryPeriodMs?: number | undefined;
  callbacks: LeaderCallbacks;
  /** On stop, the leader clears the lock so another candidate can take over at once. Default false (as client-go). */
  releaseOnCancel?: boolean | undefined;
  /** Names this election in messages. */
  name?: string | undefined;
  /** Told about failed attempts and callback errors. Default: ignore (the elector retries). */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * Leader election over a {@link ResourceLock} such as a {@link LeaseLock} (client-go's
 * `LeaderElector`): candidates try to acquire the lock every retry period; the holder renews it;
 * `run` resolves when leadership is lost or the signal aborts.
 *
 * @example
 * ```ts
 * const elector = new LeaderElector({
 *   lock: new LeaseLock({ client: http, namespace: 'default', name: 'widget-controller', identity }),
 *   releaseOnCancel: true,
 *   callbacks: {
 *     onStartedLeading: (signal) => runController(signal),
 *     onStoppedLeading: () => console.log('no longer leading'),
 *   },
 * });
 * await elector.run(stop.signal);
 * ```
 */
export class LeaderElector {
  readonly #lock: ResourceLock;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #callbacks: LeaderCallbacks;
  readonly #releaseOnCancel: boolean;
  readonly #onError: (error: unknown) => void;
  #observedRecord: LeaderElectionRecord | undefined;
  #observedRaw: string | undefined;
  /** performance.now() when the record was last seen to change. */
  #observedTime = 0;
  #reportedLeader = '';
  #running = false;

  constructor(config: LeaderElectionConfig) {
    this.#leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = config.retryPeriodMs ?? 2_000;
    if (this.#leaseDurationMs <= this.#renewDeadlineMs) throw new RangeError('leaseDurationMs must be greater than renewDeadlineMs');
    if (this.#renewDeadlineMs <= JITTER_FACTOR * this.#retryPeriodMs) throw new RangeError(`renewDeadlineMs must be greater than retryPeriodMs × ${JITTER_FACTOR}`);
    if (this.#retryPeriodMs < 1) throw new RangeError('retryPeriodMs must be positive');
    if (!config.lock.identity) throw new TypeError('the lock identity is empty');
    this.#lock = config.lock;
    this.#callbacks = config.callbacks;
    this.#releaseOnCancel = config.releaseOnCancel === true;
    this.#onError = config.onError ?? (() => {});
  }

  /** True when the last observed record names this candidate. */
  isLeader(): boolean {
    return this.#observedRecord?.holderIdentity === this.#lock.identity;
  }

  /** The identity of the last observed leader (`''` if none). */
  getLeader(): string {
    return this.#observedRecord?.holderIdentity ?? '';
  }

  /**
   * Campaigns until this candidate leads, then renews until it loses the lock or `signal`
   * aborts; calls `onStoppedLeading` and resolves then. An elector runs once (make a new one to
   * campaign again, as client-go does).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error('this LeaderElector is already running');
    this.#running = true;
    if (!(await this.#acquire(signal))) return;
    const leading = new AbortController();
    try {
      try {
        // Not awaited (client-go starts it in a goroutine): leader work runs while renewals go on.
        const work = this.#callbacks.onStartedLeading(leading.signal);
        if (work) work.catch((error: unknown) => this.#report(error));
      } catch (error) {
        this.#report(error);
      }
      await this.#renew(signal);
    } finally {
      leading.abort(new Error('stopped leading'));
      if (signal.aborted && this.#releaseOnCancel) await this.#release();
      try {
        this.#callbacks.onStoppedLeading();
      } catch (error) {
        this.#report(error);
      }
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // ignore
    }
  }

  /** Tries every retryPeriod (jittered) until the lock is ours; false if the signal aborted first. */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const acquired = await this.#tryAcquireOrRenew(signal);
      this.#maybeReportTransition();
      if (acquired) return true;
      await sleep(jitter(this.#retryPeriodMs, JITTER_FACTOR), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal did not succeed within renewDeadline, or the signal aborted. */
  async #renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = performance.now() + this.#renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted && performance.now() < deadline) {
        // Bounded by the deadline only: a renewal in flight when the elector is stopped completes,
        // so the release that follows updates the Lease as that renewal left it (no 409).
        const attempt = AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now())));
        renewed = await this.#tryAcquireOrRenew(attempt);
        this.#maybeReportTransition();
        if (renewed) break;
        await sleep(Math.min(this.#retryPeriodMs, deadline - performance.now()), signal);
      }
      if (!renewed || !this.isLeader()) return;
      await sleep(this.#retryPeriodMs, signal);
    }
  }

  /** One attempt, bounded by the renew deadline (as client-go bounds each by its context). */
  #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    return this.#attempt(AbortSignal.any([signal, AbortSignal.timeout(Math.ceil(this.#renewDeadlineMs))]));
  }

  /** client-go's `tryAcquireOrRenew`: one attempt to take or keep the lock. */
  async #attempt(signal: AbortSignal): Promise<boolean> {
    const now = formatMicroTime(new Date());
    const record: LeaderElectionRecord = {
      holderIdentity: this.#lock.identity,
      leaseDurationSeconds: Math.floor(this.#leaseDurationMs / 1000) || 1,
      renewTime: now,
      acquireTime: now,
      leaderTransitions: 0,
    };
    // 1. Fast path: the leader updates the record it last wrote, assuming nobody changed it.
    if (this.isLeader() && this.#isLeaseValid()) {
      const observed = this.#observedRecord!;
      const renewal = { ...record, acquireTime: observed.acquireTime, leaderTransitions: observed.leaderTransitions };
      try {
        await this.#lock.update(renewal, signal);
        this.#setObserved(renewal);
        return true;
      } catch (error) {
        this.#report(error);
        if (signal.aborted) return false;
      }
    }
    // 2. Read the record, or create it.
    let current: { record: LeaderElectionRecord; raw: string } | undefined;
    try {
      current = await this.#lock.get(signal);
    } catch (error) {
      this.#report(error);
      return false;
    }
    if (!current) {
      try {
        await this.#lock.create(record, signal);
      } catch (error) {
        this.#report(error);
        return false;
      }
      this.#setObserved(record);
      return true;
    }
    // 3. The record changed since last seen: note when, on this machine's clock.
    if (this.#observedRaw !== current.raw) {
      this.#observedRecord = current.record;
      this.#observedRaw = current.raw;
      this.#observedTime = performance.now();
    }
    const holder = current.record.holderIdentity;
    if (holder.length > 0 && this.#isLeaseValid(current.record) && !this.isLeader()) return false;
    // 4. Take (or keep) it.
    if (this.isLeader()) {
      record.acquireTime = current.record.acquireTime;
      record.leaderTransitions = current.record.leaderTransitions;
    } else {
      record.leaderTransitions = current.record.leaderTransitions + 1;
    }
    try {
      await this.#lock.update(record, signal);
    } catch (error) {
      this.#report(error);
      return false;
    }
    this.#setObserved(record);
    return true;
  }

  /** The observed lease has not run out: observed time + its duration is still ahead (client-go's `isLeaseValid`). */
  #isLeaseValid(record = this.#observedRecord): boolean {
    const durationMs = (record?.leaseDurationSeconds ?? 0) * 1000;
    return this.#observedTime + durationMs > performance.now();
  }

  #setObserved(record: LeaderElectionRecord): void {
    this.#observedRecord = record;
    this.#observedRaw = recordJson(record);
    this.#observedTime = performance.now();
  }

  #maybeReportTransition(): void {
    const leader = this.#observedRecord?.holderIdentity ?? '';
    if (leader === this.#reportedLeader) return;
    this.#reportedLeader = leader;
    if (!this.#callbacks.onNewLeader) return;
    try {
      this.#callbacks.onNewLeader(leader);
    } catch (error) {
      this.#report(error);
    }
  }

  /** Clears the lock if this candidate holds it (client-go's `release`), so others need not wait a lease duration. */
  async #release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = formatMicroTime(new Date());
    const released: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: now,
      acquireTime: now,
      leaderTransitions: this.#observedRecord!.leaderTransitions,
    };
    const signal = AbortSignal.timeout(Math.ceil(this.#renewDeadlineMs));
    try {
      await this.#lock.update(released, signal);
      this.#setObserved(released);
    } catch (error) {
      if (!isConflict(error)) return this.#report(error);
      // The Lease changed since this candidate last wrote it: release it only if it still holds it.
      try {
        const current = await this.#lock.get(signal);
        if (current?.record.holderIdentity !== this.#lock.identity) return;
        await this.#lock.update({ ...released, leaderTransitions: current.record.leaderTransitions }, signal);
        this.#setObserved(released);
      } catch (retryError) {
        this.#report(retryError);
      }
    }
  }
}

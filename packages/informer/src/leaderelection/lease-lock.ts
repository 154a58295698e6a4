import { HttpClient, isNotFound, RestClient } from '@kgo/rest';
import { type Lease, type LeaderElectionRecord, leaseSpecToRecord, recordJson, recordToLeaseSpec } from './leader-election-record.ts';

/** A lock leader election can hold (client-go's `resourcelock.Interface`). */
export interface ResourceLock {
  /** The candidate's identity (unique among candidates: pod name, hostname + random suffix). */
  readonly identity: string;
  /**
   * The current record and its raw form (compared to notice changes), or `undefined` when the
   * lock object does not exist. Other failures throw.
   */
  get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string } | undefined>;
  /** Creates the lock object holding `record`. */
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  /** Updates the lock object last read or written to hold `record`; fails on a conflicting change. */
  update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  /** Names the lock in messages (`namespace/name`). */
  describe(): string;
}

/** Options of {@link LeaseLock}. */
export interface LeaseLockOptions {
  /** A RestClient or HttpClient to reach the server (leases go through coordination.k8s.io/v1 over its HttpClient). */
  client: RestClient | HttpClient;
  namespace: string;
  name: string;
  /** This candidate's identity. */
  identity: string;
  /** Bound on each request, in ms (the elector also bounds each attempt by its renew deadline). */
  requestTimeoutMs?: number | undefined;
}

/**
 * A leader lock stored in a `coordination.k8s.io/v1` Lease (client-go's `resourcelock.LeaseLock`).
 * Updates carry the resourceVersion of the Lease last seen, so two candidates racing for it
 * cannot both win: the second update fails with 409 Conflict.
 *
 * @example
 * ```ts
 * const lock = new LeaseLock({ client: http, namespace: 'kube-system', name: 'my-controller', identity: hostname() });
 * ```
 */
export class LeaseLock implements ResourceLock {
  readonly identity: string;
  readonly #client: RestClient;
  readonly #namespace: string;
  readonly #name: string;
  /** The Lease as last read or written: updates send its resourceVersion. */
  #lease: Lease | undefined;
  readonly #requestTimeoutMs: number | undefined;

  constructor(options: LeaseLockOptions) {
    if (!options.identity) throw new TypeError('LeaseLock: identity must not be empty (use a name unique to this candidate)');
    if (!options.name || !options.namespace) throw new TypeError('LeaseLock: namespace and name are required');
    const http = options.client instanceof HttpClient ? options.client : options.client.http;
    this.#client = new RestClient(http, { groupVersion: { group: 'coordination.k8s.io', version: 'v1' } });
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.identity = options.identity;
    this.#requestTimeoutMs = options.requestTimeoutMs;
  }

  describe(): string {
    return `${this.#namespace}/${this.#name}`;
  }

  async get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string } | undefined> {
    let lease: Lease;
    try {
      lease = await this.#bounded(this.#client.get().namespace(this.#namespace).resource('leases').name(this.#name), signal).do().into<Lease>();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    this.#lease = lease;
    const record = leaseSpecToRecord(lease.spec);
    return { record, raw: recordJson(record) };
  }

  async create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    const body: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.#name, namespace: this.#namespace }, spec: recordToLeaseSpec(record) };
    this.#lease = await this.#bounded(this.#client.post().namespace(this.#namespace).resource('leases'), signal).body(body).do().into<Lease>();
  }

  async update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    if (!this.#lease) throw new Error(`lease ${this.describe()} not initialized: call get or create first`);
    const body: Lease = { ...this.#lease, spec: recordToLeaseSpec(record) };
    this.#lease = await this.#bounded(this.#client.put().namespace(this.#namespace).resource('leases').name(this.#name), signal).body(body).do().into<Lease>();
  }

  #bounded<R extends { timeout(ms: number): R; signal(signal: AbortSignal): R }>(request: R, signal: AbortSignal | undefined): R {
    let bounded = request;
    if (this.#requestTimeoutMs) bounded = bounded.timeout(this.#requestTimeoutMs);
    if (signal) bounded = bounded.signal(signal);
    return bounded;
  }
}

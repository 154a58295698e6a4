/*
 * Leader election over a coordination.k8s.io/v1 Lease on the real API server: three candidates,
 * exactly one leader at any time; a killed leader (stopped without releasing) is replaced within
 * the lease duration, a releasing one at once; a leader cut off from the server stops leading
 * before anyone else starts.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '@kgo/envtest';
import { coreClient, createNamespace, deleteNamespace, eventually } from '../test/fixtures.ts';
import { type Lease } from './leader-election-record.ts';
import { LeaderElector } from './leader-elector.ts';
import { LeaseLock } from './lease-lock.ts';

const cluster = testCluster();
const admin = coreClient(restConfigFor(cluster));
const coordination = new RestClient(admin.http, { groupVersion: { group: 'coordination.k8s.io', version: 'v1' } });
const namespace = uniqueNamespace('kgo-leader');
let proxy: FaultProxy;

const LEASE_MS = 3000;
const RENEW_MS = 2000;
const RETRY_MS = 500;

beforeAll(async () => {
  proxy = await FaultProxy.start(cluster);
  await createNamespace(admin, namespace);
});

afterAll(async () => {
  await deleteNamespace(admin, namespace);
  await admin.close();
  await proxy.close();
});

interface Candidate {
  identity: string;
  stop: AbortController;
  running: Promise<void>;
  startedAt: number[];
  stoppedAt: number[];
  newLeaders: string[];
}

/** Watches leadership across candidates: who leads now, and every moment two did. */
class Referee {
  readonly leading = new Set<string>();
  readonly overlaps: string[] = [];
  readonly log: string[] = [];

  started(identity: string): void {
    if (this.leading.size > 0) this.overlaps.push(`${identity} started leading while ${[...this.leading].join(', ')} led`);
    this.leading.add(identity);
    this.log.push(`${performance.now().toFixed(0)} +${identity}`);
  }

  stopped(identity: string): void {
    this.leading.delete(identity);
    this.log.push(`${performance.now().toFixed(0)} -${identity}`);
  }

  leader(): string | undefined {
    return [...this.leading][0];
  }
}

function candidate(identity: string, lease: string, referee: Referee, options: { client?: RestClient; releaseOnCancel?: boolean } = {}): Candidate {
  const stop = new AbortController();
  const self: Candidate = { identity, stop, running: Promise.resolve(), startedAt: [], stoppedAt: [], newLeaders: [] };
  const elector = new LeaderElector({
    lock: new LeaseLock({ client: options.client ?? admin, namespace, name: lease, identity }),
    leaseDurationMs: LEASE_MS,
    renewDeadlineMs: RENEW_MS,
    retryPeriodMs: RETRY_MS,
    releaseOnCancel: options.releaseOnCancel ?? false,
    callbacks: {
      onStartedLeading: () => {
        self.startedAt.push(performance.now());
        referee.started(identity);
      },
      onStoppedLeading: () => {
        self.stoppedAt.push(performance.now());
        referee.stopped(identity);
      },
      onNewLeader: (leader) => void self.newLeaders.push(leader),
    },
  });
  self.running = elector.run(stop.signal);
  return self;
}

async function readLease(name: string): Promise<Lease> {
  return coordination.get().namespace(namespace).resource('leases').name(name).timeout(3000).do().into<Lease>();
}

describe('LeaderElector with a Lease lock', () => {
  it('3 candidates: one leader at a time; a killed leader is replaced within the lease duration, a releasing one at once', async () => {
    const referee = new Referee();
    const lease = 'three-candidates';
    // a leads first; of the two others, c releases the lock when stopped.
    const candidates = [candidate('a', lease, referee)];
    await eventually(() => referee.leader() === 'a', 10_000, () => 'a never led');
    candidates.push(candidate('b', lease, referee), candidate('c', lease, referee, { releaseOnCancel: true }));
    // Sample the Lease as the server has it, all along.
    const holders = new Set<string>();
    let sampling = true;
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const current = await readLease(lease).catch(() => undefined);
        if (current) holders.add(current.spec?.holderIdentity ?? '');
        samples++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const first = referee.leader()!;
    // Renewals keep the same leader for a while.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    expect(referee.leader()).toBe(first);
    const held = await readLease(lease);
    expect(held.spec).toMatchObject({ holderIdentity: first, leaseDurationSeconds: 3, leaseTransitions: 0 });
    expect(held.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(held.spec!.renewTime!)).toBeGreaterThan(Date.parse(held.spec!.acquireTime!));

    // Kill the leader: it stops renewing and does not release (a crash, from the others' view).
    const killed = candidates.find((c) => c.identity === first)!;
    const killedAt = performance.now();
    killed.stop.abort();
    await killed.running;
    await eventually(() => referee.leader() !== undefined, LEASE_MS + 3 * RETRY_MS + 2000, () => 'no new leader after the kill');
    const second = referee.leader()!;
    const handover = candidates.find((c) => c.identity === second)!.startedAt[0]! - killedAt;
    console.log(`[leader] ${first} killed; ${second} took over after ${handover.toFixed(0)} ms (lease ${LEASE_MS} ms)`);
    expect(second).not.toBe(first);
    // Not before the lease ran out (it was respected), and within it plus one retry period.
    expect(handover).toBeGreaterThanOrEqual(LEASE_MS - 2 * RETRY_MS);
    expect(handover).toBeLessThanOrEqual(LEASE_MS + 2.2 * RETRY_MS + 1000);
    expect((await readLease(lease)).spec).toMatchObject({ holderIdentity: second, leaseTransitions: 1 });

    // Stop the second leader; if it releases, the third need not wait for the lease to run out.
    const secondCandidate = candidates.find((c) => c.identity === second)!;
    const releases = second === 'c';
    const stoppedAt = performance.now();
    secondCandidate.stop.abort();
    await secondCandidate.running;
    await eventually(() => referee.leader() !== undefined, LEASE_MS + 3 * RETRY_MS + 2000, () => 'no third leader');
    const third = referee.leader()!;
    expect((await readLease(lease)).spec).toMatchObject({ holderIdentity: third, leaseTransitions: 2 });
    const secondHandover = candidates.find((c) => c.identity === third)!.startedAt[0]! - stoppedAt;
    console.log(`[leader] ${second} stopped (${releases ? 'releasing' : 'not releasing'}); ${third} took over after ${secondHandover.toFixed(0)} ms`);
    if (releases) expect(secondHandover).toBeLessThan(2.2 * RETRY_MS + 1000);
    else expect(secondHandover).toBeGreaterThanOrEqual(LEASE_MS - 2 * RETRY_MS);

    // The last one releases on stop: the Lease is left without a holder.
    const last = candidates.find((c) => c.identity === third)!;
    last.stop.abort();
    await last.running;
    if (third === 'c') expect((await readLease(lease)).spec?.holderIdentity ?? '').toBe('');
    sampling = false;
    await sampler;
    console.log(`[leader] ${samples} samples of the Lease: holders ${[...holders].join(',')}`);

    expect(referee.overlaps).toEqual([]);
    for (const c of candidates) expect(c.startedAt.length).toBe(c.stoppedAt.length);
    expect(candidates.reduce((n, c) => n + c.startedAt.length, 0)).toBe(3);
    // The server never named anyone else (the 100 ms sampler may miss a short leadership).
    for (const holder of holders) expect(['', first, second, third]).toContain(holder);
    expect(holders.has(first)).toBe(true);
    // The last leader was told of the first, then of itself.
    const lastSeen = candidates.find((c) => c.identity === third)!.newLeaders;
    expect(lastSeen[0]).toBe(first);
    expect(lastSeen.at(-1)).toBe(third);
  }, 60_000);

  it('a leader cut off from the server stops leading before another candidate starts', async () => {
    const referee = new Referee();
    const lease = 'cut-off';
    const viaProxy = coreClient(proxy.restConfig());
    const isolated = candidate('isolated', lease, referee, { client: viaProxy });
    await eventually(() => referee.leader() === 'isolated', 10_000, () => 'isolated never led');
    const others = [candidate('x', lease, referee), candidate('y', lease, referee)];
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    expect(referee.leader()).toBe('isolated');

    const cutAt = performance.now();
    proxy.refuse(true);
    await eventually(() => referee.leader() !== undefined && referee.leader() !== 'isolated', 3 * LEASE_MS, () => referee.log.join('\n'));
    proxy.refuse(false);
    const stepDown = isolated.stoppedAt[0]! - cutAt;
    const successor = others.find((c) => c.startedAt.length > 0)!;
    console.log(`[leader] isolated stepped down ${stepDown.toFixed(0)} ms after the cut; ${successor.identity} started ${(successor.startedAt[0]! - cutAt).toFixed(0)} ms after`);
    // The leader gives up within its renew deadline (plus the retry period it was waiting out)…
    expect(stepDown).toBeLessThanOrEqual(RENEW_MS + RETRY_MS + 500);
    // … before anyone else starts, who waited for the lease to run out.
    expect(successor.startedAt[0]!).toBeGreaterThan(isolated.stoppedAt[0]!);
    expect(referee.overlaps).toEqual([]);
    await isolated.running;
    for (const c of others) c.stop.abort();
    await Promise.all(others.map((c) => c.running));
    await viaProxy.close();
  }, 60_000);
});

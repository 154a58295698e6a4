import { describe, expect, it } from 'vitest';
import { formatMicroTime, leaseSpecToRecord, recordJson, recordToLeaseSpec } from './leader-election-record.ts';
import { LeaderElector } from './leader-elector.ts';
import type { ResourceLock } from './lease-lock.ts';

describe('leader election records', () => {
  it('writes times as metav1.MicroTime (six fractional digits, UTC)', () => {
    expect(formatMicroTime(new Date(Date.UTC(2026, 10, 25, 1, 2, 3, 45)))).toBe('2026-11-25T01:02:03.045000Z');
  });

  it('round-trips a record through a Lease spec, and compares records by canonical JSON', () => {
    const record = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: 't1', renewTime: 't2', leaderTransitions: 3 };
    expect(recordToLeaseSpec(record)).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: 't1', renewTime: 't2', leaseTransitions: 3 });
    expect(recordJson(leaseSpecToRecord(recordToLeaseSpec(record)))).toBe(recordJson(record));
    expect(recordJson({ ...record, renewTime: 't3' })).not.toBe(recordJson(record));
    expect(leaseSpecToRecord(undefined)).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 0, leaderTransitions: 0 });
  });

  it('refuses timings that could let two candidates lead at once, as client-go does', () => {
    const lock = { identity: 'me' } as ResourceLock;
    const callbacks = { onStartedLeading() {}, onStoppedLeading() {} };
    expect(() => new LeaderElector({ lock, callbacks, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow('leaseDurationMs must be greater than renewDeadlineMs');
    expect(() => new LeaderElector({ lock, callbacks, renewDeadlineMs: 2000, retryPeriodMs: 2000 })).toThrow('renewDeadlineMs must be greater than retryPeriodMs × 1.2');
    expect(() => new LeaderElector({ lock: { identity: '' } as ResourceLock, callbacks })).toThrow('the lock identity is empty');
  });
});

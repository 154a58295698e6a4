/*
 * client-go tools/leaderelection/resourcelock: the record a lock stores, and its form in a
 * coordination.k8s.io/v1 Lease.
 */
import type { KubeObject } from '@kgo/rest';

/** Who holds a leader lock, and how (client-go's `LeaderElectionRecord`). Times are RFC 3339 strings. */
export interface LeaderElectionRecord {
  /** The holder's identity; `''` when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
  strategy?: string | undefined;
  preferredHolder?: string | undefined;
}

/** A coordination.k8s.io/v1 Lease (the fields leader election uses). */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | undefined;
    leaseDurationSeconds?: number | undefined;
    acquireTime?: string | undefined;
    renewTime?: string | undefined;
    leaseTransitions?: number | undefined;
    strategy?: string | undefined;
    preferredHolder?: string | undefined;
  };
}

/** The record a Lease's spec holds (client-go's `LeaseSpecToLeaderElectionRecord`). */
export function leaseSpecToRecord(spec: Lease['spec']): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime ?? '',
    renewTime: spec?.renewTime ?? '',
    leaderTransitions: spec?.leaseTransitions ?? 0,
    strategy: spec?.strategy,
    preferredHolder: spec?.preferredHolder,
  };
}

/** A Lease spec holding `record` (client-go's `LeaderElectionRecordToLeaseSpec`). */
export function recordToLeaseSpec(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime || undefined,
    renewTime: record.renewTime || undefined,
    leaseTransitions: record.leaderTransitions,
    strategy: record.strategy,
    preferredHolder: record.preferredHolder,
  };
}

/** A time as metav1.MicroTime writes it: RFC 3339 with six fractional digits, UTC. */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A record as text in one canonical field order, to notice changes by comparing strings (client-go compares the JSON). */
export function recordJson(record: LeaderElectionRecord): string {
  const { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaderTransitions, strategy, preferredHolder } = record;
  return JSON.stringify({ holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaderTransitions, strategy, preferredHolder });
}

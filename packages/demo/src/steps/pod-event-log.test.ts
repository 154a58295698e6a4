import { DeletedFinalStateUnknown } from '@kgo/informer';
import type { Pod } from '@kgo/typed/core/v1';
import { describe, expect, it } from 'vitest';
import { deletedEvent, describeAdded, describeModified, PodEventLog, podEvent } from './pod-event-log.ts';

const pod = (rv: string, extra: { labels?: Record<string, string>; phase?: 'Pending' | 'Running'; nodeName?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns', resourceVersion: rv, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { containers: [], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  ...(extra.phase ? { status: { phase: extra.phase } } : {}),
});

describe('pod event details', () => {
  it('names what an update changed: labels, node, phase, deletion; a resync as unchanged', () => {
    expect(describeAdded(pod('1', { phase: 'Pending' }))).toBe('phase Pending');
    expect(describeModified(pod('1', { labels: { a: '1', b: '2' } }), pod('2', { labels: { a: 'x' } }))).toBe('label a=x, label b removed');
    expect(describeModified(pod('1', { phase: 'Pending' }), pod('2', { phase: 'Running', nodeName: 'n1' }))).toBe('scheduled to n1, phase Pending → Running');
    expect(describeModified(pod('1'), pod('2', { deleting: true }))).toBe('deletion requested');
    expect(describeModified(pod('1'), pod('1'))).toBe('resync (unchanged)');
    expect(describeModified(pod('1'), pod('2'))).toBe('status or metadata changed');
  });

  it('tells a delete the informer saw from a tombstone after a relist', () => {
    expect(deletedEvent(pod('3', { phase: 'Pending' }), 0).detail).toBe('final phase Pending');
    const tombstone = deletedEvent(new DeletedFinalStateUnknown('ns/p', pod('2')), 0);
    expect([tombstone.type, tombstone.name, tombstone.resourceVersion, tombstone.detail]).toEqual(['DELETED', 'p', '2', 'missed while the watch was down: last known state']);
  });
});

describe('PodEventLog', () => {
  it('finds each expected event after the previous one found, so the order is checked too', async () => {
    const printed: string[] = [];
    const log = new PodEventLog((event) => printed.push(event.type));
    log.record(podEvent('ADDED', pod('1'), '', 0));
    expect((await log.waitFor('ADDED', (e) => e.type === 'ADDED', 1000)).resourceVersion).toBe('1');
    const modified = log.waitFor('MODIFIED', (e) => e.type === 'MODIFIED', 1000);
    log.record(podEvent('MODIFIED', pod('2'), '', 0));
    expect((await modified).resourceVersion).toBe('2');
    // An ADDED before the cursor does not satisfy a later wait.
    await expect(log.waitFor('ADDED again', (e) => e.type === 'ADDED', 50)).rejects.toThrow(
      'the informer delivered no ADDED again within 0.05 s (events so far: ADDED p, MODIFIED p)',
    );
    expect(printed).toEqual(['ADDED', 'MODIFIED']);
  });
});

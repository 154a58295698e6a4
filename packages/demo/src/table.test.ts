import { describe, expect, it } from 'vitest';
import { formatTable } from './table.ts';

describe('formatTable', () => {
  it('aligns every column to its widest cell with three spaces, like kubectl, and pads no last column', () => {
    const lines = formatTable({
      headers: ['NAMESPACE', 'NAME', 'PHASE'],
      rows: [
        ['kube-system', 'coredns-demo', 'Pending'],
        ['kube-system', 'm', ''],
      ],
    });
    expect(lines).toEqual([
      'NAMESPACE     NAME           PHASE',
      'kube-system   coredns-demo   Pending',
      'kube-system   m',
    ]);
  });

  it('says (none) under the header of an empty table', () => {
    expect(formatTable({ headers: ['NAME', 'KIND'], rows: [] })).toEqual(['NAME   KIND', '(none)']);
  });

  it('prints missing cells as empty', () => {
    expect(formatTable({ headers: ['A', 'B', 'C'], rows: [['x']] })).toEqual(['A   B   C', 'x']);
  });
});

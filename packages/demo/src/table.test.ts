import { describe, expect, it } from 'vitest';
import { formatRow, formatTable } from './table.ts';

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

describe('formatRow', () => {
  it('pads each cell to its fixed width plus three spaces, so rows printed one at a time line up', () => {
    const widths = [8, 5, 15];
    expect([formatRow(['EVENT', 'NAME', 'RESOURCEVERSION'], widths), formatRow(['MODIFIED', 'web-1', '42'], widths)]).toEqual([
      'EVENT      NAME    RESOURCEVERSION',
      'MODIFIED   web-1   42',
    ]);
  });

  it('lets a cell wider than its column push the next ones right, and leaves no trailing space', () => {
    expect(formatRow(['a-long-name', 'x', ''], [4, 1, 3])).toBe('a-long-name   x');
  });
});

/**
 * Aligned text tables, the way kubectl prints them (Go's tabwriter with 3 spaces of padding):
 * every column as wide as its widest cell, the last one not padded, no trailing spaces.
 */

/** A table: upper-case headers like kubectl's, then rows of cells (missing cells print empty). */
export interface Table {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
}

const PADDING = 3;

/**
 * The lines of a table, header first. An empty table prints its header and `(none)`, so a step
 * that found nothing says so instead of printing nothing.
 *
 * @example
 * ```ts
 * formatTable({ headers: ['NAME', 'PHASE'], rows: [['web-1', 'Running']] });
 * // ['NAME    PHASE', 'web-1   Running']
 * ```
 */
export function formatTable(table: Table): string[] {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) => formatRow(cells, widths);
  const body = table.rows.length > 0 ? table.rows.map(line) : ['(none)'];
  return [line(table.headers), ...body];
}

/**
 * One line of a table whose column widths are fixed in advance: for rows printed as they happen
 * (informer events), where the widest cell is not known yet. A cell wider than its column pushes
 * the rest right; `widths` has one entry per column (the last one is not padded).
 *
 * @example
 * ```ts
 * formatRow(['ADDED', 'web-1', '42'], [8, 5, 15]); // 'ADDED      web-1   42'
 * ```
 */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return widths
    .map((width, column) => {
      const cell = cells[column] ?? '';
      return column === widths.length - 1 ? cell : cell.padEnd(Math.max(width, cell.length) + PADDING);
    })
    .join('')
    .trimEnd();
}

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
  const line = (cells: readonly string[]) =>
    table.headers
      .map((_, column) => {
        const cell = cells[column] ?? '';
        return column === table.headers.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) + PADDING);
      })
      .join('')
      .trimEnd();
  const body = table.rows.length > 0 ? table.rows.map(line) : ['(none)'];
  return [line(table.headers), ...body];
}

import { formatRow, formatTable, type Table } from './table.ts';

/** Where the demo's results go (stdout), with bold and dim only on a terminal without NO_COLOR. */
export class Output {
  readonly #write: (text: string) => void;
  readonly #color: boolean;

  constructor(write: (text: string) => void, options: { color: boolean }) {
    this.#write = write;
    this.#color = options.color;
  }

  /** For `process.stdout`: colour when it is a terminal and `NO_COLOR` is unset. */
  static forStdout(): Output {
    return new Output((text) => process.stdout.write(text), { color: process.stdout.isTTY === true && !process.env.NO_COLOR });
  }

  line(text = ''): void {
    this.#write(`${text}\n`);
  }

  /** A table, indented by two spaces. */
  table(table: Table): void {
    for (const row of formatTable(table)) this.line(`  ${row}`);
  }

  /** One row of a table printed as it happens (column widths fixed ahead), indented like {@link Output.table}. */
  row(cells: readonly string[], widths: readonly number[]): void {
    this.line(`  ${formatRow(cells, widths)}`);
  }

  bold(text: string): string {
    return this.#color ? `\x1b[1m${text}\x1b[22m` : text;
  }

  dim(text: string): string {
    return this.#color ? `\x1b[2m${text}\x1b[22m` : text;
  }
}

/**
 * A progress line for slow phases (starting the control plane, building its binaries): on a
 * terminal a spinner with the elapsed time, redrawn in place; elsewhere (CI logs, pipes) plain
 * lines — one at the start, a heartbeat every 30 s, one at the end — so logs stay readable.
 */

/** Where progress goes: a writable stream, terminal or not. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  /** The terminal's width: the redrawn line is cut to fit, since a wrapped line cannot be redrawn in place. */
  columns?: number | undefined;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 100;
const HEARTBEAT_MS = 30_000;

/** `1.2 s` below a minute, `3 min 05 s` above. */
export function formatSeconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Runs slow phases behind a progress line. */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;

  /** `tty` defaults to the stream's own `isTTY`. */
  constructor(stream: ProgressStream, options: { tty?: boolean } = {}) {
    this.#stream = stream;
    this.#tty = options.tty ?? stream.isTTY === true;
  }

  /**
   * Runs `body` behind a progress line labelled `label`. Lines given to `log` (what the phase
   * reports, e.g. envtest's build messages) are printed above the line. Ends with `✓ label (time)`
   * or `✗ label (time)`; the body's error is rethrown.
   */
  async run<T>(label: string, body: (log: (line: string) => void) => Promise<T>): Promise<T> {
    const started = performance.now();
    const elapsed = () => formatSeconds(performance.now() - started);
    let frame = 0;
    const draw = () => {
      const line = `${FRAMES[frame++ % FRAMES.length]} ${label} ${elapsed()}`;
      const width = this.#stream.columns;
      this.#stream.write(`\r\x1b[2K${width && line.length >= width ? line.slice(0, width - 1) : line}`);
    };
    const clear = () => this.#stream.write('\r\x1b[2K');
    let timer: NodeJS.Timeout;
    if (this.#tty) {
      draw();
      timer = setInterval(draw, REDRAW_MS);
    } else {
      this.#stream.write(`… ${label}\n`);
      timer = setInterval(() => this.#stream.write(`… ${label}: still working (${elapsed()})\n`), HEARTBEAT_MS);
    }
    timer.unref();
    const log = (line: string) => {
      if (this.#tty) clear();
      this.#stream.write(`  ${line}\n`);
      if (this.#tty) draw();
    };
    try {
      const result = await body(log);
      this.#end(`✓ ${label} (${elapsed()})`);
      return result;
    } catch (error) {
      this.#end(`✗ ${label} (${elapsed()})`);
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  #end(line: string): void {
    this.#stream.write(`${this.#tty ? '\r\x1b[2K' : ''}${line}\n`);
  }
}

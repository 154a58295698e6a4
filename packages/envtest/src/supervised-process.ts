import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { EnvtestError } from './errors.ts';

/*
 * Why a shell watchdog: Node cannot ask Linux to kill a child when Node dies (no
 * PR_SET_PDEATHSIG), and a test runner killed by a timeout or SIGKILL never runs its exit
 * handlers. The watchdog holds the read end of a pipe whose write end only Node holds; when
 * Node exits for any reason the pipe closes, `read` returns, and the watchdog stops the server
 * (TERM, then KILL after a grace period). Closing the pipe on purpose is also how stop() works.
 */
const WATCHDOG = `
exec 3<&0
"$@" </dev/null &
child=$!
(
  while read -r _; do :; done <&3
  kill -TERM "$child" 2>/dev/null
  sleep 10
  kill -KILL "$child" 2>/dev/null
) &
watcher=$!
exec 3<&-
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

/** Options of a {@link SupervisedProcess}. */
export interface SupervisedProcessOptions {
  /** The environment of the process. Default: this process's. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Its working directory. Default: this process's. */
  cwd?: string | undefined;
}

/** A long-running server process that cannot outlive the Node process that started it. */
export class SupervisedProcess {
  readonly name: string;
  readonly logFile: string;
  #child: ChildProcess;
  #log: WriteStream;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(name: string, command: string, args: string[], logFile: string, options: SupervisedProcessOptions = {}) {
    this.name = name;
    this.logFile = logFile;
    this.#log = createWriteStream(logFile);
    this.#child = spawn('/bin/sh', ['-c', WATCHDOG, 'kgo-envtest-watchdog', command, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    this.#child.stdout?.pipe(this.#log, { end: false });
    this.#child.stderr?.pipe(this.#log, { end: false });
    this.#exited = new Promise((resolve) => {
      this.#child.on('exit', (code) => {
        this.#exitCode = code;
        resolve(code);
      });
      this.#child.on('error', () => resolve(-1));
    });
  }

  /** The exit code if the process has already ended, else `undefined`. */
  get exitCode(): number | null | undefined {
    return this.#exitCode;
  }

  /** Resolves when the process ends. */
  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /**
   * Polls `probe` every 100 ms until it returns true. Fails at once, with the end of the log,
   * when the process exits first; fails at `deadline` saying what was awaited and where the log is.
   */
  async waitUntilReady(what: string, deadline: number, probe: () => Promise<boolean>): Promise<void> {
    while (Date.now() < deadline) {
      if (this.#exitCode !== undefined) {
        throw new EnvtestError(`${this.name} exited with code ${this.#exitCode} before it was ready. Its log (${this.logFile}) ends with:\n${await this.logTail()}`);
      }
      try {
        if (await probe()) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new EnvtestError(`Timed out waiting for ${what}. The log of ${this.name} (${this.logFile}) ends with:\n${await this.logTail()}`);
  }

  /** The last 20 lines of the process's log. */
  async logTail(): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.trim().split('\n').slice(-20).join('\n');
  }

  /** Stops the process (TERM, KILL after 10 s) and waits for it to end. */
  async stop(): Promise<void> {
    if (this.#exitCode === undefined) {
      this.#child.stdin?.end();
      await this.#exited;
    }
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }
}

import { errorMarker, hasErrorMarker } from '@kgo/rest';
import { KubeconfigError, type KubeconfigErrorOptions } from './kubeconfig-error.ts';

const marker = errorMarker('kubeconfig.ExecCredentialError');

/**
 * Why an exec credential plugin gave no credentials:
 * - `not-found`: the executable does not exist (the message carries the kubeconfig's `installHint`);
 * - `not-runnable`: it exists but cannot be started (permissions, not an executable);
 * - `exit-code`: it exited with a non-zero code ({@link ExecCredentialError.exitCode});
 * - `signal`: it was killed by a signal;
 * - `invalid-output`: its stdout was not a usable ExecCredential (not JSON, wrong apiVersion, no status,
 *   no token or certificate pair, an unusable certificate, a token that cannot be sent in a header);
 * - `not-interactive`: `interactiveMode: Always` without a terminal on stdin;
 * - `aborted`: the caller's signal fired (a call timeout, or an abort) before the plugin finished.
 */
export type ExecFailure = 'not-found' | 'not-runnable' | 'exit-code' | 'signal' | 'invalid-output' | 'not-interactive' | 'aborted';

/** Options of {@link ExecCredentialError}. */
export interface ExecCredentialErrorOptions extends KubeconfigErrorOptions {
  /** The plugin command as configured. */
  command: string;
  reason: ExecFailure;
  /** The plugin's exit code, for `exit-code`. */
  exitCode?: number | undefined;
}

/**
 * An exec credential plugin failed when credentials were needed (client-go's "getting credentials:
 * exec: …"). The message says what happened in kubectl's words — not installed (with the install
 * hint), exit code, bad output — and names the user and kubeconfig file. It never contains what the
 * plugin printed: stdout may hold a credential, and the plugin's stderr goes to this process's
 * stderr (as with kubectl), never into the error.
 *
 * @example
 * ```ts
 * try { await client.get().absPath('/version').do(); }
 * catch (error) { if (ExecCredentialError.isInstance(error) && error.reason === 'not-found') console.error(error.message); }
 * ```
 */
export class ExecCredentialError extends KubeconfigError {
  override name = 'ExecCredentialError';
  /** The plugin command as configured. */
  readonly command: string;
  readonly reason: ExecFailure;
  /** The plugin's exit code (for `exit-code`). */
  readonly exitCode: number | undefined;
  readonly [marker] = true;

  constructor(message: string, options: ExecCredentialErrorOptions) {
    super(message, options);
    this.command = options.command;
    this.reason = options.reason;
    this.exitCode = options.exitCode;
  }

  /** True for an ExecCredentialError from any copy of `@kgo/kubeconfig`. */
  static override isInstance(error: unknown): error is ExecCredentialError {
    return hasErrorMarker(error, marker);
  }
}

import type { spawn as Spawn } from 'node:child_process';
import type { CredentialProvider, Credentials } from '@kgo/rest';
import type { ExecConfig } from './config-types.ts';
import { ExecCredentialError, type ExecFailure } from './errors/exec-credential-error.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { encodeExecInfo, type ExecClusterInfo } from './exec-info.ts';
import { keyPairProblem } from './pem.ts';
import { raceAbort } from './race-abort.ts';
import { execNulProblems, headerUnsafe } from './unsafe-values.ts';

/** The exec credential API versions client-go speaks. */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/** Options of {@link ExecCredentialProvider}. */
export interface ExecCredentialProviderOptions {
  exec: ExecConfig;
  /** Passed to the plugin only when `exec.provideClusterInfo` is true. */
  cluster?: ExecClusterInfo | undefined;
  /** User name and kubeconfig file, for error messages. */
  userName?: string | undefined;
  file?: string | undefined;
  /** Environment the plugin inherits. Default: `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Whether standard input is a terminal. Default: `process.stdin.isTTY`. */
  stdinIsTerminal?: boolean | undefined;
  /** Clock, for tests. Default: `Date.now`. */
  now?: (() => number) | undefined;
}

interface Cached {
  credentials: Credentials;
  /** Epoch ms; undefined = valid until a 401. */
  expiresAt: number | undefined;
}

interface ExecCredentialStatus {
  token?: unknown;
  clientCertificateData?: unknown;
  clientKeyData?: unknown;
  expirationTimestamp?: unknown;
}

// kubectl's words for a plugin that is not installed (client-go exec.go), before the install hint.
const NOT_INSTALLED =
  'It looks like you are trying to use a client-go credential plugin that is not installed.\n\n' +
  'To learn more about this feature, consult the documentation available at:\n' +
  '      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';

/**
 * Credentials from an exec plugin (client-go `plugin/pkg/client/auth/exec`): runs the command,
 * reads the ExecCredential it prints, and caches the token or client certificate until
 * `expirationTimestamp` (forever without one). One plugin run at a time: concurrent requests
 * share it. After a 401 with the current credentials, the next request runs the plugin again.
 * The cache belongs to this instance, so two clients never overwrite each other's credentials.
 *
 * Failures are {@link ExecCredentialError}s whose message reads as kubectl's ("getting credentials:
 * exec: executable … not found", with the install hint; "… failed with exit code 3"). The plugin's
 * stderr is passed through to this process's stderr, as client-go does, and never copied into an
 * error: a plugin may print anything there, a credential included.
 *
 * @example
 * ```ts
 * const provider = new ExecCredentialProvider({ exec: { command: 'aws', args: ['eks', 'get-token'], apiVersion: 'client.authentication.k8s.io/v1beta1' } });
 * const config: RestConfig = { host, credentialProvider: provider };
 * ```
 */
export class ExecCredentialProvider implements CredentialProvider {
  readonly #options: ExecCredentialProviderOptions;
  readonly #now: () => number;
  #cached: Cached | undefined;
  #running: Promise<Cached> | undefined;

  /**
   * @throws KubeconfigError before anything runs (as client-go) for an unsupported `apiVersion`, a
   * missing command, or a command, argument or env entry containing NUL (which no process can receive).
   */
  constructor(options: ExecCredentialProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const { exec } = options;
    const version = exec.apiVersion;
    if (!(EXEC_API_VERSIONS as readonly string[]).includes(version)) {
      throw this.#configError(`exec plugin: invalid apiVersion "${version}"; use ${EXEC_API_VERSIONS.join(' or ')}`, 'exec.apiVersion');
    }
    if (typeof exec.command !== 'string' || exec.command === '') {
      throw this.#configError('exec plugin without command; set exec.command to the plugin executable', 'exec.command');
    }
    const nul = execNulProblems(exec)[0];
    if (nul) throw this.#configError(`exec plugin: ${nul.message}; remove it`, nul.field);
  }

  /**
   * Cached credentials, or the result of one (shared) plugin run. `signal` ends this caller's wait
   * (an `aborted` ExecCredentialError), not the shared run.
   *
   * @throws ExecCredentialError when the plugin cannot be run, fails, or prints no usable ExecCredential.
   */
  async getCredentials(signal?: AbortSignal): Promise<Credentials> {
    const cached = this.#cached;
    if (cached && (cached.expiresAt === undefined || this.#now() < cached.expiresAt)) return cached.credentials;
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    const running = this.#running;
    const result = await (signal ? raceAbort(running, signal, (reason) => this.#abortError(reason)) : running);
    return result.credentials;
  }

  /** Forgets the cached credentials if they are the ones the server refused. */
  onUnauthorized(used: Credentials): void {
    const cached = this.#cached;
    if (!cached) return;
    const current = cached.credentials;
    const same =
      current.token === used.token && current.clientCertificate?.certData === used.clientCertificate?.certData;
    if (same) this.#cached = undefined;
  }

  async #run(): Promise<Cached> {
    const { exec } = this.#options;
    const interactive = this.#interactive();
    const env: NodeJS.ProcessEnv = { ...(this.#options.env ?? process.env) };
    for (const variable of exec.env ?? []) env[variable.name] = variable.value;
    const cluster = exec.provideClusterInfo ? this.#options.cluster : undefined;
    env.KUBERNETES_EXEC_INFO = encodeExecInfo(exec.apiVersion, interactive, cluster);

    const stdout = await this.#spawn(env, interactive);
    const cached = this.#decode(stdout);
    this.#cached = cached;
    return cached;
  }

  #interactive(): boolean {
    const mode = this.#options.exec.interactiveMode ?? 'IfAvailable';
    const terminal = this.#options.stdinIsTerminal ?? Boolean(process.stdin.isTTY);
    if (mode === 'Never') return false;
    if (mode === 'Always' && !terminal) {
      throw this.#error(
        'not-interactive',
        'exec plugin cannot support interactive mode: standard input is not a terminal',
        'exec.interactiveMode',
        { fix: 'run from a terminal or set interactiveMode: IfAvailable' },
      );
    }
    return terminal;
  }

  async #spawn(env: NodeJS.ProcessEnv, interactive: boolean): Promise<string> {
    const { exec } = this.#options;
    // Loaded when a plugin first runs, not on import (~10 ms of an import that most programs never need).
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      let child: ReturnType<typeof Spawn>;
      try {
        // stdin only for interactive plugins (they may prompt); stderr is the plugin's own channel to the user.
        child = spawn(exec.command, exec.args ?? [], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
      } catch (error) {
        // Node's message for a refused argument quotes it; only the code is safe to show.
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        reject(this.#error('not-runnable', `exec: could not start executable ${exec.command} (${code})`, 'exec.command', { fix: 'check exec.command, exec.args and exec.env', cause: error }));
        return;
      }
      const chunks: Buffer[] = [];
      child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          const hint = exec.installHint ? `\n\n${stripAnsi(exec.installHint)}` : '';
          reject(this.#error('not-found', `exec: executable ${exec.command} not found`, 'exec.command', { details: `${NOT_INSTALLED}${hint}`, cause: error }));
        } else {
          reject(
            this.#error('not-runnable', `exec: executable ${exec.command} cannot be run (${error.code ?? 'error'})`, 'exec.command', {
              fix: 'check that exec.command names an executable file you may run',
              cause: error,
            }),
          );
        }
      });
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
        else if (code !== null) {
          reject(
            this.#error('exit-code', `exec: executable ${exec.command} failed with exit code ${code}`, 'exec.command', {
              exitCode: code,
              fix: "its own error output, if any, went to this process's standard error",
            }),
          );
        } else reject(this.#error('signal', `exec: executable ${exec.command} was killed by ${signal}`, 'exec.command'));
      });
    });
  }

  #decode(stdout: string): Cached {
    const { exec } = this.#options;
    const invalid = (message: string, field = 'exec.command', fix?: string) => this.#error('invalid-output', message, field, { fix });
    let body: unknown;
    try {
      body = JSON.parse(stdout);
    } catch {
      // Never echo stdout: it may hold a credential.
      throw invalid(`exec: plugin ${exec.command} did not print an ExecCredential JSON object on stdout (decoding failed)`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalid(`exec: plugin ${exec.command} did not print an ExecCredential JSON object on stdout`);
    }
    const credential = body as { apiVersion?: unknown; kind?: unknown; status?: unknown };
    if (credential.apiVersion !== exec.apiVersion) {
      throw invalid(
        `exec plugin is configured to use API version ${exec.apiVersion}, plugin returned version ${typeof credential.apiVersion === 'string' ? credential.apiVersion : '(none)'}`,
        'exec.apiVersion',
        'align exec.apiVersion with the plugin',
      );
    }
    if (credential.kind !== undefined && credential.kind !== 'ExecCredential') {
      throw invalid(`exec plugin ${exec.command} returned kind ${String(credential.kind)}, not ExecCredential`);
    }
    const status = credential.status as ExecCredentialStatus | undefined | null;
    if (typeof status !== 'object' || status === null) throw invalid("exec plugin didn't return a status field");
    const token = typeof status.token === 'string' ? status.token : '';
    const certData = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : '';
    const keyData = typeof status.clientKeyData === 'string' ? status.clientKeyData : '';
    if (!token && !certData && !keyData) throw invalid("exec plugin didn't return a token or cert/key pair");
    if (Boolean(certData) !== Boolean(keyData)) throw invalid('exec plugin returned only certificate or private key, not both');
    const credentials: Credentials = {};
    if (token) {
      if (headerUnsafe(token)) throw invalid(`exec plugin ${exec.command} returned a token containing ${headerUnsafe(token)}, which cannot be sent in an Authorization header (the token is not shown)`);
      credentials.token = token;
    }
    if (certData) {
      const problem = keyPairProblem(certData, keyData);
      if (problem) throw invalid(`exec plugin returned an unusable client certificate: ${problem}`);
      credentials.clientCertificate = { certData, keyData };
    }
    let expiresAt: number | undefined;
    if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
      expiresAt = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
      if (Number.isNaN(expiresAt)) throw invalid('exec plugin returned an expirationTimestamp that is not an RFC 3339 time');
    }
    return { credentials, expiresAt };
  }

  #abortError(reason: unknown): ExecCredentialError {
    const timedOut = (reason as Error | undefined)?.name === 'TimeoutError';
    const why = timedOut ? "the call's timeout expired" : `the call was aborted (${(reason as Error | undefined)?.message ?? String(reason)})`;
    return this.#error('aborted', `exec: executable ${this.#options.exec.command} had not returned credentials when ${why}`, 'exec.command', {
      fix: 'the plugin keeps running for other callers',
      cause: reason,
    });
  }

  /** `(user "dev" in /k/config)`, or nothing for a provider made by hand without names. */
  #who(): string {
    const { userName, file } = this.#options;
    return userName !== undefined ? ` (user "${userName}"${file ? ` in ${file}` : ''})` : '';
  }

  #field(field: string): string {
    const { userName } = this.#options;
    return userName !== undefined ? `users[${userName}].user.${field}` : field;
  }

  #configError(message: string, field: string): KubeconfigError {
    return new KubeconfigError(`${message}${this.#who()}`, { file: this.#options.file, field: this.#field(field) });
  }

  /**
   * A failure when credentials were needed: `getting credentials: <what><who>; <fix>`, then any
   * multi-line details (kubectl's not-installed text and the install hint).
   */
  #error(
    reason: ExecFailure,
    what: string,
    field: string,
    extra: { fix?: string | undefined; details?: string; exitCode?: number; cause?: unknown } = {},
  ): ExecCredentialError {
    const fix = extra.fix ? `; ${extra.fix}` : '';
    const details = extra.details ? `\n\n${extra.details}` : '';
    return new ExecCredentialError(`getting credentials: ${what}${this.#who()}${fix}${details}`, {
      command: this.#options.exec.command,
      reason,
      exitCode: extra.exitCode,
      file: this.#options.file,
      field: this.#field(field),
      cause: extra.cause,
    });
  }
}

// Install hints are shown in a terminal; client-go strips escape codes so a hint cannot rewrite the screen.
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '');
}

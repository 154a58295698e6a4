import { spawn } from 'node:child_process';
import type { CredentialProvider, Credentials } from '@kgo/rest';
import type { ExecConfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { keyPairProblem } from './pem.ts';

/** The exec credential API versions client-go speaks. */
export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/** The name of the cluster extension whose value is passed to plugins as `spec.cluster.config`. */
export const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';

/** The cluster as an exec plugin sees it in `KUBERNETES_EXEC_INFO` (`spec.cluster`), when `provideClusterInfo` is set. */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string | undefined;
  'insecure-skip-tls-verify'?: boolean | undefined;
  /** Base64 of the PEM CA bundle (a CA file is read into it). */
  'certificate-authority-data'?: string | undefined;
  'proxy-url'?: string | undefined;
  'disable-compression'?: boolean | undefined;
  /** The cluster's `client.authentication.k8s.io/exec` extension. */
  config?: unknown;
}

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

/**
 * Credentials from an exec plugin (client-go `plugin/pkg/client/auth/exec`): runs the command,
 * reads the ExecCredential it prints, and caches the token or client certificate until
 * `expirationTimestamp` (forever without one). One plugin run at a time: concurrent requests
 * share it. After a 401 with the current credentials, the next request runs the plugin again.
 * The cache belongs to this instance, so two clients never overwrite each other's credentials.
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

  /** @throws KubeconfigError for an unsupported `apiVersion` (before anything runs, as client-go). */
  constructor(options: ExecCredentialProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const version = options.exec.apiVersion;
    if (!(EXEC_API_VERSIONS as readonly string[]).includes(version)) {
      throw this.#error(
        `exec plugin: invalid apiVersion "${version}"; use ${EXEC_API_VERSIONS.join(' or ')}`,
        'exec.apiVersion',
      );
    }
  }

  /** Cached credentials, or the result of one (shared) plugin run. */
  async getCredentials(signal?: AbortSignal): Promise<Credentials> {
    const cached = this.#cached;
    if (cached && (cached.expiresAt === undefined || this.#now() < cached.expiresAt)) return cached.credentials;
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    const running = this.#running;
    const result = await (signal ? raceAbort(running, signal) : running);
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
    const spec: Record<string, unknown> = { interactive };
    if (exec.provideClusterInfo && this.#options.cluster) spec.cluster = this.#options.cluster;
    const env: NodeJS.ProcessEnv = { ...(this.#options.env ?? process.env) };
    for (const variable of exec.env ?? []) env[variable.name] = variable.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ kind: 'ExecCredential', apiVersion: exec.apiVersion, spec });

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
      throw this.#error('exec plugin cannot support interactive mode: standard input is not a terminal; run from a terminal or set interactiveMode: IfAvailable', 'exec.interactiveMode');
    }
    return terminal;
  }

  #spawn(env: NodeJS.ProcessEnv, interactive: boolean): Promise<string> {
    const { exec } = this.#options;
    return new Promise((resolve, reject) => {
      // stdin only for interactive plugins (they may prompt); stderr is the plugin's own channel to the user.
      const child = spawn(exec.command, exec.args ?? [], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          const hint = exec.installHint ? `\n\n${stripAnsi(exec.installHint)}` : '';
          reject(
            this.#error(
              `exec: executable ${exec.command} not found. It looks like you are trying to use a client-go credential plugin that is not installed: install it, or fix exec.command${hint}`,
              'exec.command',
              error,
            ),
          );
        } else {
          reject(this.#error(`exec: could not run ${exec.command} (${error.code ?? error.message}); check exec.command`, 'exec.command', error));
        }
      });
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
        else if (code !== null) reject(this.#error(`exec: executable ${exec.command} failed with exit code ${code}; see its output above`, 'exec.command'));
        else reject(this.#error(`exec: executable ${exec.command} was killed by ${signal}`, 'exec.command'));
      });
    });
  }

  #decode(stdout: string): Cached {
    const { exec } = this.#options;
    let body: unknown;
    try {
      body = JSON.parse(stdout);
    } catch {
      // Never echo stdout: it may hold a credential.
      throw this.#error(`exec: plugin ${exec.command} did not print an ExecCredential JSON object on stdout (decoding failed)`, 'exec.command');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw this.#error(`exec: plugin ${exec.command} did not print an ExecCredential JSON object on stdout`, 'exec.command');
    }
    const credential = body as { apiVersion?: unknown; kind?: unknown; status?: unknown };
    if (credential.apiVersion !== exec.apiVersion) {
      throw this.#error(
        `exec plugin is configured to use API version ${exec.apiVersion}, plugin returned version ${typeof credential.apiVersion === 'string' ? credential.apiVersion : '(none)'}; align exec.apiVersion with the plugin`,
        'exec.apiVersion',
      );
    }
    if (credential.kind !== undefined && credential.kind !== 'ExecCredential') {
      throw this.#error(`exec plugin ${exec.command} returned kind ${String(credential.kind)}, not ExecCredential`, 'exec.command');
    }
    const status = credential.status as ExecCredentialStatus | undefined | null;
    if (typeof status !== 'object' || status === null) throw this.#error("exec plugin didn't return a status field", 'exec.command');
    const token = typeof status.token === 'string' ? status.token : '';
    const certData = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : '';
    const keyData = typeof status.clientKeyData === 'string' ? status.clientKeyData : '';
    if (!token && !certData && !keyData) throw this.#error("exec plugin didn't return a token or cert/key pair", 'exec.command');
    if (Boolean(certData) !== Boolean(keyData)) {
      throw this.#error('exec plugin returned only certificate or private key, not both', 'exec.command');
    }
    const credentials: Credentials = {};
    if (token) credentials.token = token;
    if (certData) {
      const problem = keyPairProblem(certData, keyData);
      if (problem) throw this.#error(`exec plugin returned an unusable client certificate: ${problem}`, 'exec.command');
      credentials.clientCertificate = { certData, keyData };
    }
    let expiresAt: number | undefined;
    if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
      expiresAt = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
      if (Number.isNaN(expiresAt)) throw this.#error('exec plugin returned an expirationTimestamp that is not an RFC 3339 time', 'exec.command');
    }
    return { credentials, expiresAt };
  }

  #error(message: string, field: string, cause?: unknown): KubeconfigError {
    const { userName, file } = this.#options;
    const who = userName !== undefined ? ` (user "${userName}"${file ? ` in ${file}` : ''})` : '';
    return new KubeconfigError(`${message}${who}`, {
      file,
      field: userName !== undefined ? `users[${userName}].user.${field}` : field,
      cause,
    });
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// Install hints are shown in a terminal; client-go strips escape codes so a hint cannot rewrite the screen.
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '');
}

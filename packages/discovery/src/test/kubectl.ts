import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** kubectl is the oracle; the same binary on every machine of this project. */
export const KUBECTL = process.env.KGO_KUBECTL ?? '/usr/bin/kubectl';

/** What one kubectl run printed. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
  /** `Warning: ...` lines of stderr, without the prefix. */
  warnings: string[];
}

/** Options of {@link kubectl}. */
export interface KubectlOptions {
  kubeconfig: string;
  /** kubectl's discovery cache folder (`--cache-dir`); default: a fresh temp folder per call, so every call discovers anew. */
  cacheDir?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * Runs kubectl with only the given kubeconfig and cache folder, never throwing. The environment is
 * reduced to PATH and a temp HOME: the machine's kubectl may be the Cloud SDK dispatcher, which
 * reads its own config from HOME.
 */
export async function kubectl(args: string[], options: KubectlOptions): Promise<KubectlResult> {
  const home = await mkdtemp(join(tmpdir(), 'kgo-kubectl-home-'));
  const cacheDir = options.cacheDir ?? join(home, 'cache');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: options.kubeconfig,
    KUBECACHEDIR: cacheDir,
    // The Cloud SDK dispatcher: no update checks, no prompts.
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    ...options.env,
  };
  return new Promise((resolve) => {
    execFile(KUBECTL, [...args, `--cache-dir=${cacheDir}`], { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const warnings = stderr
        .split('\n')
        .filter((line) => line.startsWith('Warning: '))
        .map((line) => line.slice('Warning: '.length));
      resolve({ code, stdout, stderr, warnings });
    });
  });
}

/** Writes a kubeconfig (no credentials) whose server is `server`, e.g. a {@link CountingProxy}'s URL. */
export async function plainKubeconfig(server: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kgo-kubeconfig-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'proxy',
      clusters: [{ name: 'proxy', cluster: { server } }],
      users: [{ name: 'proxy', user: {} }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy', namespace: 'default' } }],
    }),
  );
  return path;
}

/** One row of `kubectl api-resources -o wide`. */
export interface ApiResourceRow {
  name: string;
  shortNames: string;
  apiVersion: string;
  namespaced: string;
  kind: string;
  verbs: string;
  categories: string;
}

/**
 * Parses `kubectl api-resources -o wide` by the header's column positions (cells may be empty).
 */
export function parseApiResources(stdout: string): ApiResourceRow[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const columns = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES'];
  const starts = columns.map((column) => {
    const at = header.search(new RegExp(`\\b${column}\\b`));
    if (at < 0) throw new Error(`kubectl api-resources: no ${column} column in ${JSON.stringify(header)}`);
    return at;
  });
  return lines.slice(1).map((line) => {
    const cell = (i: number) => line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
    return { name: cell(0), shortNames: cell(1), apiVersion: cell(2), namespaced: cell(3), kind: cell(4), verbs: cell(5), categories: cell(6) };
  });
}

import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ConfigOverrides } from '../context-selection.ts';

/** kubectl is the oracle: the same binary on every machine. */
export const KUBECTL = '/usr/bin/kubectl';

const pkiDir = join(dirname(fileURLToPath(import.meta.url)), 'pki');

/** Runs kubectl with exactly the given env (plus PATH), never throwing. */
export function kubectl(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Test PKI, as PEM text. */
export interface Pki {
  ca: string;
  cert: string;
  key: string;
  otherKey: string;
}

export async function readPki(): Promise<Pki> {
  const { readFile } = await import('node:fs/promises');
  const read = (name: string) => readFile(join(pkiDir, name), 'utf8');
  return { ca: await read('ca.crt'), cert: await read('client.crt'), key: await read('client.key'), otherKey: await read('other.key') };
}

/** A fresh temp folder holding `pki/` and the given files (paths relative to it). */
export async function makeWorkspace(files: Record<string, string>, modes: Record<string, number> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kgo-kubeconfig-'));
  await mkdir(join(dir, 'pki'));
  await mkdir(join(dir, 'home'));
  for (const name of ['ca.crt', 'client.crt', 'client.key', 'other.key']) await copyFile(join(pkiDir, name), join(dir, 'pki', name));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { mode: modes[name] ?? 0o644 });
  }
  return dir;
}

/** A kubeconfig entry body (cluster, user or context fields). */
export type Entry = Record<string, unknown>;

/** A kubeconfig as YAML, from maps of named clusters, users and contexts. */
export function kc(c: { current?: string; clusters?: Record<string, Entry>; users?: Record<string, Entry>; contexts?: Record<string, Entry>; extra?: Entry }): string {
  const named = (key: string, map: Record<string, Entry> | undefined) => Object.entries(map ?? {}).map(([name, body]) => ({ name, [key]: body }));
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...(c.current === undefined ? {} : { 'current-context': c.current }),
    clusters: named('cluster', c.clusters),
    users: named('user', c.users),
    contexts: named('context', c.contexts),
    ...c.extra,
  });
}

/** The common one-context shape: cluster `c1`, user `u1`, context `ctx`. */
export function simple(cluster: Entry, user: Entry, context: Entry = {}): string {
  return kc({ current: 'ctx', clusters: { c1: cluster }, users: { u1: user }, contexts: { ctx: { cluster: 'c1', user: 'u1', ...context } } });
}

/** An unsigned JWT-shaped id-token expiring at `exp` (seconds), for OIDC cases. */
export const jwt = (exp: number) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;

/** The kubectl flags that express `flags` (--context, --cluster, --user, --namespace, --server, …). */
export function flagArgs(flags: ConfigOverrides = {}): string[] {
  const args: string[] = [];
  if (flags.context) args.push(`--context=${flags.context}`);
  if (flags.cluster) args.push(`--cluster=${flags.cluster}`);
  if (flags.user) args.push(`--user=${flags.user}`);
  if (flags.namespace) args.push(`--namespace=${flags.namespace}`);
  if (flags.server) args.push(`--server=${flags.server}`);
  if (flags.tlsServerName) args.push(`--tls-server-name=${flags.tlsServerName}`);
  if (flags.insecureSkipTlsVerify) args.push('--insecure-skip-tls-verify=true');
  return args;
}

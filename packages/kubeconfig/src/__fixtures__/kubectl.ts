import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Kubeconfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { resolveLocalPaths } from './local-paths.ts';
import { parseKubeconfig } from './parse.ts';

/**
 * Reads and parses one kubeconfig file, then resolves its relative paths (`certificate-authority`,
 * `client-certificate`, `client-key`, `tokenFile`, and an `exec.command` containing `/`) against
 * the file's own folder, as client-go does (unless `resolvePaths: false`). Each entry's `origin` is
 * the absolute file path.
 *
 * @throws KubeconfigError naming the file; an unreadable file's `cause` is the fs error (`code: 'ENOENT'` when missing).
 */
export async function loadKubeconfigFile(file: string, options: { resolvePaths?: boolean } = {}): Promise<Kubeconfig> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KubeconfigError(`error loading config file "${file}": ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'error'})`}`, {
      file,
      cause: error,
    });
  }
  const config = parseKubeconfig(text, absolute);
  return options.resolvePaths === false ? config : resolveLocalPaths(config);
}

/** True when `error` is a {@link loadKubeconfigFile} failure because the file does not exist. */
export function isMissingFile(error: unknown): boolean {
  return KubeconfigError.isInstance(error) && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

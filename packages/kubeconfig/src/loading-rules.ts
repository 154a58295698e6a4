import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Kubeconfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { isMissingFile, loadKubeconfigFile } from './load-file.ts';
import { mergeKubeconfigs } from './merge.ts';

/**
 * Which files make up the kubeconfig (client-go `ClientConfigLoadingRules`). Defaults are
 * kubectl's: `KUBECONFIG` from the environment, else `~/.kube/config`.
 */
export interface LoadingRules {
  /** `--kubeconfig`: only this file is read, and it must exist. */
  explicitPath?: string | undefined;
  /** The `KUBECONFIG` value (`:`-separated; `;` on Windows). Default `process.env.KUBECONFIG`. */
  kubeconfig?: string | undefined;
  /** Home folder for `~/.kube/config`. Default `$HOME`, else the OS's home. */
  homeDir?: string | undefined;
  /**
   * Make relative file references absolute against their file's folder. Default true; kubectl's
   * `config` commands turn it off to print paths as written.
   */
  resolvePaths?: boolean | undefined;
}

/** The files {@link LoadingRules} designate, in priority order, and whether missing files are an error. */
export interface KubeconfigSources {
  files: string[];
  /** True for an explicit path: it must exist. */
  explicit: boolean;
}

/**
 * The files to read: the explicit path alone; else the `KUBECONFIG` list (empty entries dropped,
 * duplicates removed, order kept); else `~/.kube/config`. Pure.
 */
export function kubeconfigSources(rules: LoadingRules = {}): KubeconfigSources {
  if (rules.explicitPath) return { files: [rules.explicitPath], explicit: true };
  const list = 'kubeconfig' in rules ? rules.kubeconfig : process.env.KUBECONFIG;
  if (list) {
    const files = [...new Set(list.split(delimiter).filter((entry) => entry !== ''))];
    if (files.length > 0) return { files, explicit: false };
  }
  const home = rules.homeDir ?? (process.env.HOME || homedir());
  return { files: [join(home, '.kube', 'config')], explicit: false };
}

/** A merged kubeconfig and the files it was read from. */
export interface LoadedKubeconfig {
  config: Kubeconfig;
  /** Files that existed and were read, in priority order. */
  files: string[];
  /** Files that were skipped because they do not exist. */
  missing: string[];
}

/**
 * Reads and merges the kubeconfig files of `rules`: first file wins per name (whole entry),
 * `current-context` from the first file that sets it, missing files skipped (an explicit path
 * must exist). This is the raw, un-overridden config: list its contexts, clusters and users.
 *
 * @throws KubeconfigError naming the file for a missing explicit file or any malformed file.
 */
export async function loadKubeconfig(rules: LoadingRules = {}): Promise<LoadedKubeconfig> {
  const sources = kubeconfigSources(rules);
  const configs: Kubeconfig[] = [];
  const files: string[] = [];
  const missing: string[] = [];
  for (const file of sources.files) {
    try {
      configs.push(await loadKubeconfigFile(file, { resolvePaths: rules.resolvePaths ?? true }));
      files.push(file);
    } catch (error) {
      if (!isMissingFile(error)) throw error;
      if (sources.explicit) {
        throw new KubeconfigError(`stat ${file}: no such file or directory; the kubeconfig given explicitly must exist`, { file, cause: error });
      }
      missing.push(file);
    }
  }
  return { config: mergeKubeconfigs(configs), files, missing };
}

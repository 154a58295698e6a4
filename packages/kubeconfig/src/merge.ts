import type { Kubeconfig } from './config-types.ts';
import { emptyKubeconfig } from './config-types.ts';

/**
 * Merges kubeconfigs in priority order, as client-go's loading rules do: for clusters, users and
 * contexts the first config that defines a name wins, with its whole entry (fields are never mixed
 * across files); `current-context` and `preferences.colors` come from the first config that sets
 * them; top-level extensions are merged by name, first wins. Pure.
 */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const merged = emptyKubeconfig();
  const extensionNames = new Set<string>();
  for (const config of configs) {
    if (!merged.currentContext && config.currentContext) merged.currentContext = config.currentContext;
    if (merged.preferences.colors === undefined && config.preferences.colors !== undefined) {
      merged.preferences = { ...merged.preferences, colors: config.preferences.colors };
    }
    for (const [name, entry] of config.clusters) if (!merged.clusters.has(name)) merged.clusters.set(name, entry);
    for (const [name, entry] of config.users) if (!merged.users.has(name)) merged.users.set(name, entry);
    for (const [name, entry] of config.contexts) if (!merged.contexts.has(name)) merged.contexts.set(name, entry);
    for (const extension of config.extensions) {
      if (extensionNames.has(extension.name)) continue;
      extensionNames.add(extension.name);
      merged.extensions.push(extension);
    }
  }
  return merged;
}

import { dirname, isAbsolute, resolve } from 'node:path';
import type { Kubeconfig } from './config-types.ts';

/**
 * Makes relative file references (`certificate-authority`, `client-certificate`, `client-key`,
 * `tokenFile`, and an `exec.command` containing `/`) absolute against the folder of the file that
 * defined each entry (its `origin`), as client-go's `ResolveLocalPaths`. Entries without an origin
 * (parsed from text) are left alone. Pure: returns a new config and leaves `config` as it was.
 */
export function resolveLocalPaths(config: Kubeconfig): Kubeconfig {
  const against = (origin: string | undefined, path: string | undefined) =>
    origin === undefined || !path || isAbsolute(path) ? path : resolve(dirname(origin), path);
  const clusters: Kubeconfig['clusters'] = new Map();
  for (const [name, cluster] of config.clusters) {
    const ca = against(cluster.origin, cluster['certificate-authority']);
    clusters.set(name, ca === cluster['certificate-authority'] ? cluster : { ...cluster, 'certificate-authority': ca! });
  }
  const users: Kubeconfig['users'] = new Map();
  for (const [name, user] of config.users) {
    const next = { ...user };
    for (const key of ['client-certificate', 'client-key', 'tokenFile'] as const) {
      const path = against(user.origin, user[key]);
      if (path !== undefined) next[key] = path;
    }
    // A bare command name is looked up on PATH; only path-like commands are file references. A
    // missing command is left for validation to report with the user's name.
    const command: unknown = next.exec?.command;
    if (next.exec && typeof command === 'string' && command.includes('/')) next.exec = { ...next.exec, command: against(user.origin, command)! };
    users.set(name, next);
  }
  return { ...config, clusters, users, contexts: new Map(config.contexts) };
}

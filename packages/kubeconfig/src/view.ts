import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Kubeconfig, KubeconfigV1 } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';

/*
 * `kubectl config view` operations on a loaded config: minify (only the current context and
 * what it references), flatten (file references inlined as data) and printing back to the v1
 * shape. These work on the raw config, without overrides or validation, exactly like kubectl.
 */

/**
 * Keeps only `contextName` (default: `current-context`) and the cluster and user it names, as
 * client-go's `MinifyConfig`. Pure; returns a new config.
 *
 * @throws KubeconfigError when there is no current context or a reference dangles.
 */
export function minifyKubeconfig(config: Kubeconfig, contextName?: string): Kubeconfig {
  const name = contextName || config.currentContext;
  if (!name) throw new KubeconfigError('current-context must exist in order to minify; set current-context or choose a context', { field: 'current-context' });
  const context = config.contexts.get(name);
  if (!context) throw new KubeconfigError(`cannot locate context ${name}; it is not defined in the kubeconfig`, { field: 'current-context' });
  const out: Kubeconfig = { ...config, currentContext: name, contexts: new Map([[name, context]]), clusters: new Map(), users: new Map() };
  if (context.cluster) {
    const cluster = config.clusters.get(context.cluster);
    if (!cluster) {
      throw new KubeconfigError(`cannot locate cluster ${context.cluster} (named by context "${name}"${context.origin ? ` in ${context.origin}` : ''}); define it or fix the context`, {
        file: context.origin,
        field: `contexts[${name}].context.cluster`,
      });
    }
    out.clusters.set(context.cluster, cluster);
  }
  if (context.user) {
    const user = config.users.get(context.user);
    if (!user) {
      throw new KubeconfigError(`cannot locate user ${context.user} (named by context "${name}"${context.origin ? ` in ${context.origin}` : ''}); define it or fix the context`, {
        file: context.origin,
        field: `contexts[${name}].context.user`,
      });
    }
    out.users.set(context.user, user);
  }
  return out;
}

/**
 * Inlines `certificate-authority`, `client-certificate` and `client-key` files as base64 data, as
 * client-go's `FlattenConfig` (relative paths are read against the entry's file). Returns a new config.
 *
 * @throws KubeconfigError naming the entry whose file cannot be read, or that sets both a file and its data.
 */
export async function flattenKubeconfig(config: Kubeconfig): Promise<Kubeconfig> {
  const out: Kubeconfig = { ...config, clusters: new Map(), users: new Map() };
  for (const [name, cluster] of config.clusters) {
    const next = { ...cluster };
    if (next['certificate-authority']) {
      const field = `clusters[${name}].cluster.certificate-authority`;
      if (next['certificate-authority-data']) throw both(field, cluster.origin);
      next['certificate-authority-data'] = await inline(next['certificate-authority'], cluster.origin, field);
      delete next['certificate-authority'];
    }
    out.clusters.set(name, next);
  }
  for (const [name, user] of config.users) {
    const next = { ...user };
    for (const key of ['client-certificate', 'client-key'] as const) {
      const path = next[key];
      if (!path) continue;
      const field = `users[${name}].user.${key}`;
      if (next[`${key}-data`]) throw both(field, user.origin);
      next[`${key}-data`] = await inline(path, user.origin, field);
      delete next[key];
    }
    out.users.set(name, next);
  }
  return out;
}

/** The v1 file shape of a config (what `kubectl config view -o json` prints), names sorted as client-go does. */
export function toKubeconfigV1(config: Kubeconfig): KubeconfigV1 {
  const strip = <T extends object>(entry: T): T => {
    const { origin: _origin, ...rest } = entry as T & { origin?: string };
    return rest as T;
  };
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const v1: KubeconfigV1 = {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: config.preferences,
    clusters: sorted(config.clusters).map(([name, cluster]) => ({ name, cluster: strip(cluster) })),
    users: sorted(config.users).map(([name, user]) => ({ name, user: strip(user) })),
    contexts: sorted(config.contexts).map(([name, context]) => ({ name, context: strip(context) })),
    'current-context': config.currentContext,
  };
  if (config.extensions.length > 0) v1.extensions = config.extensions;
  return v1;
}

function both(field: string, origin: string | undefined): KubeconfigError {
  return new KubeconfigError(`cannot have values for both path and contents: ${field} and ${field}-data${origin ? ` in ${origin}` : ''}; remove one`, {
    file: origin,
    field,
  });
}

async function inline(path: string, origin: string | undefined, field: string): Promise<string> {
  const absolute = origin && !isAbsolute(path) ? resolve(dirname(origin), path) : path;
  try {
    return (await readFile(absolute)).toString('base64');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KubeconfigError(`unable to read ${path} for ${field}${origin ? ` (in ${origin})` : ''}: ${code}; fix the path`, { file: origin, field, cause: error });
  }
}

import type { AuthInfo, Cluster, Context, Kubeconfig, Located } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';

/**
 * kubectl's flags that override what the kubeconfig says (client-go `ConfigOverrides`).
 * Empty strings count as unset, as in client-go.
 */
export interface ConfigOverrides {
  /** `--context`: use this context instead of `current-context`. Must exist. */
  context?: string | undefined;
  /** `--cluster`: use this cluster instead of the context's. Must exist. */
  cluster?: string | undefined;
  /** `--user`: use this user instead of the context's. Must exist. */
  user?: string | undefined;
  /** `--namespace`. */
  namespace?: string | undefined;
  /** `--server`: replaces the cluster's server and clears its `tls-server-name` (unless {@link tlsServerName} is given). */
  server?: string | undefined;
  /** `--tls-server-name`. */
  tlsServerName?: string | undefined;
  /** `--insecure-skip-tls-verify`: when true, also drops the cluster's CA file and data. */
  insecureSkipTlsVerify?: boolean | undefined;
}

/** The context, cluster and user a config resolves to, after overrides, with their names. */
export interface Selection {
  /** Context name used (`''` when there is none). */
  contextName: string;
  context: Located<Context>;
  clusterName: string;
  /** The cluster with overrides applied; `{}` when the context names none. */
  cluster: Located<Cluster>;
  userName: string;
  /** The user; `{}` when the context names none (anonymous). */
  user: Located<AuthInfo>;
  /** override → context → `default`. */
  namespace: string;
  /** True when the namespace came from the override. */
  namespaceOverridden: boolean;
}

/**
 * Chooses context, cluster and user as client-go's `DirectClientConfig` does: an override names
 * an entry that must exist; otherwise a missing reference silently resolves to an empty entry
 * (which validation then reports, e.g. as a cluster without server). Pure.
 *
 * @throws KubeconfigError `context "X" does not exist` (and the same for cluster and user).
 */
export function selectContext(config: Kubeconfig, overrides: ConfigOverrides = {}): Selection {
  const contextName = overrides.context || config.currentContext;
  const found = config.contexts.get(contextName);
  if (overrides.user && !config.users.has(overrides.user)) {
    throw missing('user', overrides.user, 'auth info', config.users.keys());
  }
  if (!found && overrides.context) throw missing('context', contextName, 'context', config.contexts.keys());
  if (overrides.cluster && !config.clusters.has(overrides.cluster)) {
    throw missing('cluster', overrides.cluster, 'cluster', config.clusters.keys());
  }
  const context: Located<Context> = { ...found };
  if (overrides.cluster) context.cluster = overrides.cluster;
  if (overrides.user) context.user = overrides.user;
  if (overrides.namespace) context.namespace = overrides.namespace;

  const clusterName = context.cluster ?? '';
  const cluster: Located<Cluster> = { ...config.clusters.get(clusterName) };
  if (overrides.server) cluster.server = overrides.server;
  // Trusting any certificate makes the configured CA meaningless, and client-go refuses both together.
  if (overrides.insecureSkipTlsVerify) {
    cluster['insecure-skip-tls-verify'] = true;
    delete cluster['certificate-authority'];
    delete cluster['certificate-authority-data'];
  }
  // A new server usually has a different name: the kubeconfig's tls-server-name must not follow it.
  if (overrides.tlsServerName || overrides.server) {
    if (overrides.tlsServerName) cluster['tls-server-name'] = overrides.tlsServerName;
    else delete cluster['tls-server-name'];
  }

  const userName = context.user ?? '';
  const user: Located<AuthInfo> = { ...config.users.get(userName) };
  return {
    contextName,
    context,
    clusterName,
    cluster,
    userName,
    user,
    namespace: context.namespace || 'default',
    namespaceOverridden: Boolean(overrides.namespace),
  };
}

function missing(flag: string, name: string, kind: string, known: Iterable<string>): KubeconfigError {
  const names = [...known];
  const choice = names.length > 0 ? `choose one of: ${names.map((n) => `"${n}"`).join(', ')}` : `the kubeconfig defines no ${flag}s`;
  return new KubeconfigError(`${kind} "${name}" does not exist (from the ${flag} override); ${choice}`, { field: flag });
}

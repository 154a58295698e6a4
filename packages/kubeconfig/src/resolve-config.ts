import type { RestConfig } from '@kgo/rest';
import type { Kubeconfig } from './config-types.ts';
import { emptyKubeconfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { type InClusterOptions, inClusterConfig, inClusterPossible } from './in-cluster.ts';
import { type LoadingRules, loadKubeconfig } from './loading-rules.ts';
import { type ConfigOverrides, selectContext } from './context-selection.ts';
import { type BuildRestConfigOptions, buildRestConfig } from './build-rest-config.ts';
import { confirmUsable } from './validation.ts';

/** Options of {@link loadConfig}: loading rules, overrides, and how exec plugins run. */
export interface LoadConfigOptions extends LoadingRules, BuildRestConfigOptions {
  /** kubectl's `--context`, `--cluster`, `--user`, `--namespace`, `--server`, ... */
  overrides?: ConfigOverrides | undefined;
  /** Where to look for in-cluster config when no kubeconfig exists; `false` disables the fallback. */
  inCluster?: InClusterOptions | false | undefined;
}

/** What {@link loadConfig} resolved: the config for `@kgo/rest`, the namespace, and where it came from. */
export interface ResolvedConfig {
  config: RestConfig;
  /** override → context → `default` (in a pod: override → `POD_NAMESPACE` → service account → `default`). */
  namespace: string;
  /** `kubeconfig`, or `in-cluster` after the fallback. */
  source: 'kubeconfig' | 'in-cluster';
  /** The context used (`''` when none, or in-cluster). */
  contextName: string;
  clusterName: string;
  userName: string;
}

/**
 * The one obvious entry point, like kubectl: read the kubeconfig by the default loading rules
 * (`KUBECONFIG`, else `~/.kube/config`), apply overrides, validate, and build the `@kgo/rest`
 * config. With no kubeconfig at all, falls back to in-cluster config when running in a pod.
 *
 * @example
 * ```ts
 * const { config, namespace } = await loadConfig({ overrides: { context: 'prod' } });
 * const client = new RestClient(config);
 * ```
 * @throws KubeconfigError naming the file and field of any problem.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const { config, files, missing } = await loadKubeconfig(options);
  return resolveConfig(config, options, files.length > 0 ? files : missing);
}

/**
 * Like {@link loadConfig}, for a kubeconfig already in memory (parsed with `parseKubeconfig` or
 * loaded with `loadKubeconfig`).
 */
export async function resolveConfig(config: Kubeconfig, options: LoadConfigOptions = {}, files: string[] = []): Promise<ResolvedConfig> {
  const overrides = options.overrides ?? {};
  const selection = selectContext(config, overrides);
  const usable = await confirmUsable(config, selection);
  if (usable === 'empty') {
    if (options.inCluster !== false && (await inClusterPossible(options.inCluster || {}))) {
      const inCluster = await inClusterConfig(options.inCluster || {});
      if (overrides.server) inCluster.config.host = overrides.server;
      return {
        config: inCluster.config,
        namespace: overrides.namespace || inCluster.namespace,
        source: 'in-cluster',
        contextName: '',
        clusterName: '',
        userName: '',
      };
    }
    const looked = files.length > 0 ? ` (looked at ${files.join(', ')})` : '';
    if (selection.clusterName) {
      const origin = selection.context.origin;
      throw new KubeconfigError(
        `invalid configuration: no configuration has been provided: context "${selection.contextName}"${origin ? ` in ${origin}` : ''} names cluster "${selection.clusterName}", which is not defined; define it or fix the context`,
        { file: origin ?? files[0], field: `contexts[${selection.contextName}].context.cluster` },
      );
    }
    throw new KubeconfigError(
      `invalid configuration: no configuration has been provided${looked}; set KUBECONFIG, create ~/.kube/config, pass a kubeconfig path or a server, or run in a pod`,
      { file: files[0] },
    );
  }
  return {
    config: await buildRestConfig(selection, options),
    namespace: selection.namespace,
    source: 'kubeconfig',
    contextName: selection.contextName,
    clusterName: selection.clusterName,
    userName: selection.userName,
  };
}

/**
 * client-go's `clientcmd.BuildConfigFromFlags`: a server URL and/or a kubeconfig path, as cluster
 * components take them as flags. Only `kubeconfigPath` is read (no `KUBECONFIG`, no home file);
 * `masterUrl` overrides its server. With neither, in-cluster config is tried first.
 *
 * @example
 * ```ts
 * const config = await buildConfigFromFlags('', '/etc/kubernetes/admin.conf');
 * ```
 */
export async function buildConfigFromFlags(masterUrl: string, kubeconfigPath: string, options: BuildRestConfigOptions & { inCluster?: InClusterOptions } = {}): Promise<RestConfig> {
  if (!masterUrl && !kubeconfigPath) {
    try {
      return (await inClusterConfig(options.inCluster)).config;
    } catch {
      // client-go warns and continues with an empty config, which fails below with a clear message.
    }
  }
  const config = kubeconfigPath ? await loadExplicit(kubeconfigPath) : emptyKubeconfig();
  const resolved = await resolveConfig(config, { ...options, overrides: { server: masterUrl }, inCluster: false }, kubeconfigPath ? [kubeconfigPath] : []);
  return resolved.config;
}

async function loadExplicit(path: string): Promise<Kubeconfig> {
  return (await loadKubeconfig({ explicitPath: path })).config;
}


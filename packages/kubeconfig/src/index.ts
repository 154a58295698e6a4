export { buildConfigFromFlags, type LoadConfigOptions, loadConfig, type ResolvedConfig, resolveConfig } from './resolve-config.ts';
export type {
  AuthInfo,
  AuthProviderConfig,
  Cluster,
  Context,
  ExecConfig,
  ExecEnvVar,
  ExecInteractiveMode,
  Kubeconfig,
  KubeconfigV1,
  Located,
  NamedExtension,
  Preferences,
} from './config-types.ts';
export { emptyKubeconfig } from './config-types.ts';
export { ExecCredentialError, type ExecCredentialErrorOptions, type ExecFailure } from './errors/exec-credential-error.ts';
export { KubeconfigError, type KubeconfigErrorOptions } from './errors/kubeconfig-error.ts';
export { OidcCredentialError, type OidcCredentialErrorOptions } from './errors/oidc-credential-error.ts';
export { EXEC_API_VERSIONS, ExecCredentialProvider, type ExecCredentialProviderOptions } from './exec-credentials.ts';
export { EXEC_CLUSTER_EXTENSION, type ExecClusterInfo } from './exec-info.ts';
export { type InClusterConfig, type InClusterOptions, SERVICE_ACCOUNT_DIR, inClusterConfig, inClusterPossible } from './in-cluster.ts';
export { loadKubeconfigFile } from './load-file.ts';
export { resolveLocalPaths } from './local-paths.ts';
export { type KubeconfigSources, type LoadedKubeconfig, type LoadingRules, kubeconfigSources, loadKubeconfig } from './loading-rules.ts';
export { mergeKubeconfigs } from './merge.ts';
export { OidcCredentialProvider, type OidcCredentialProviderOptions } from './oidc.ts';
export { type ConfigOverrides, type Selection, selectContext } from './context-selection.ts';
export { parseKubeconfig } from './parse.ts';
export { normalizeServer } from './server-url.ts';
export { type BuildRestConfigOptions, buildRestConfig } from './build-rest-config.ts';
export { type ValidationProblem, confirmUsable, validateKubeconfig } from './validation.ts';
export { flattenKubeconfig, minifyKubeconfig, toKubeconfigV1 } from './view.ts';

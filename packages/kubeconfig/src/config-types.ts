/*
 * The kubeconfig v1 model (clientcmd/api/v1), keyed as in the file: kebab-case field names and
 * base64 `*-data` fields, so a loaded config prints back exactly as `kubectl config view` does.
 * Named lists become Maps once loaded (names are unique per file, first file wins across files).
 */

/** `clusters[].cluster`: how to reach and verify one API server. */
export interface Cluster {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** Path to a PEM CA bundle; relative paths are resolved against the defining file. */
  'certificate-authority'?: string;
  /** Base64 of a PEM CA bundle. */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: NamedExtension[];
}

/** One `env` entry of an exec plugin. */
export interface ExecEnvVar {
  name: string;
  value: string;
}

/** Exec plugin interactive modes. */
export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** `users[].user.exec`: an external command that prints an ExecCredential. */
export interface ExecConfig {
  command: string;
  args?: string[];
  env?: ExecEnvVar[];
  /** `client.authentication.k8s.io/v1` or `/v1beta1`. */
  apiVersion: string;
  /** Shown when the command is not found. */
  installHint?: string;
  /** Pass the cluster (server, CA, extension config) to the plugin in `KUBERNETES_EXEC_INFO`. */
  provideClusterInfo?: boolean;
  /** Required for v1; v1beta1 defaults to `IfAvailable`. Any other string is kept to be rejected by validation. */
  interactiveMode?: ExecInteractiveMode | (string & {});
}

/** `users[].user.auth-provider`: a named legacy provider (only `oidc` remains in client-go). */
export interface AuthProviderConfig {
  name: string;
  config?: Record<string, string>;
}

/** `users[].user`: how to authenticate. */
export interface AuthInfo {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  username?: string;
  password?: string;
  'auth-provider'?: AuthProviderConfig;
  exec?: ExecConfig;
  extensions?: NamedExtension[];
}

/** `contexts[].context`: a (cluster, user, namespace) triple. */
export interface Context {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: NamedExtension[];
}

/** `preferences`. */
export interface Preferences {
  colors?: boolean;
  extensions?: NamedExtension[];
}

/** An opaque named extension object. */
export interface NamedExtension {
  name: string;
  extension: unknown;
}

/** A cluster, user or context as loaded, with the file that defined it. */
export type Located<T> = T & {
  /** Absolute path of the file this entry came from (client-go's `LocationOfOrigin`). Not serialized. */
  readonly origin?: string | undefined;
};

/**
 * A loaded (and possibly merged) kubeconfig: what kubectx-like tools list and switch between.
 * Maps keep file order.
 */
export interface Kubeconfig {
  /** `current-context`, or `''` when unset. */
  currentContext: string;
  preferences: Preferences;
  clusters: Map<string, Located<Cluster>>;
  users: Map<string, Located<AuthInfo>>;
  contexts: Map<string, Located<Context>>;
  extensions: NamedExtension[];
}

/** The v1 file shape (`apiVersion: v1`, `kind: Config`), as printed by `kubectl config view -o json`. */
export interface KubeconfigV1 {
  apiVersion?: string;
  kind?: string;
  preferences?: Preferences;
  clusters?: { name: string; cluster: Cluster }[];
  users?: { name: string; user: AuthInfo }[];
  contexts?: { name: string; context: Context }[];
  'current-context'?: string;
  extensions?: NamedExtension[];
}

/** An empty {@link Kubeconfig}. */
export function emptyKubeconfig(): Kubeconfig {
  return { currentContext: '', preferences: {}, clusters: new Map(), users: new Map(), contexts: new Map(), extensions: [] };
}

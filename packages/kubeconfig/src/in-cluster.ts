import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RestConfig } from '@kgo/rest';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { caBundleProblem } from './pem.ts';

/** Where Kubernetes mounts a pod's service-account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Options of {@link inClusterConfig}; the defaults are what a pod sees. */
export interface InClusterOptions {
  /** Folder holding `token`, `ca.crt` and `namespace`. Default {@link SERVICE_ACCOUNT_DIR}. */
  serviceAccountDir?: string | undefined;
  /** Environment with `KUBERNETES_SERVICE_HOST`/`_PORT` and `POD_NAMESPACE`. Default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
}

/** A {@link RestConfig} for the pod's own cluster, and the namespace to work in. */
export interface InClusterConfig {
  config: RestConfig;
  /** `POD_NAMESPACE`, else the service account's `namespace` file, else `default`. */
  namespace: string;
}

/**
 * True when {@link inClusterConfig} can work: the service env vars are set and the token file
 * exists (client-go's `Possible()`), so loaders can fall back to it.
 */
export async function inClusterPossible(options: InClusterOptions = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return (await stat(join(options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, 'token'))).isFile();
  } catch {
    return false;
  }
}

/**
 * The config of a pod talking to its own API server (client-go `rest.InClusterConfig`): server
 * `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the service-account token (re-read
 * from its file, since projected tokens rotate) and CA.
 *
 * @throws KubeconfigError when not in a cluster or the service-account files are unreadable.
 */
export async function inClusterConfig(options: InClusterOptions = {}): Promise<InClusterConfig> {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeconfigError(
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined; run inside a pod, or use a kubeconfig',
      { field: !host ? 'KUBERNETES_SERVICE_HOST' : 'KUBERNETES_SERVICE_PORT' },
    );
  }
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  const token = await readServiceAccountFile(tokenFile, 'token');
  if (token.trim() === '') {
    throw new KubeconfigError(`in-cluster token file ${tokenFile} is empty; is the service account token mounted (automountServiceAccountToken)?`, { file: tokenFile });
  }
  // client-go logs and continues without a CA; we do the same, trusting the system roots.
  const caData = await readFile(caFile, 'utf8').catch(() => undefined);
  if (caData !== undefined) {
    const problem = caBundleProblem(caData);
    if (problem) throw new KubeconfigError(`in-cluster CA file ${caFile} is unusable: ${problem}`, { file: caFile });
  }
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const namespace = env.POD_NAMESPACE || (await readFile(join(dir, 'namespace'), 'utf8').then((text) => text.trim(), () => '')) || 'default';
  return {
    config: { host: `https://${bracketed}:${port}`, bearerTokenFile: tokenFile, tls: caData === undefined ? {} : { caData } },
    namespace,
  };
}

async function readServiceAccountFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KubeconfigError(`unable to read in-cluster service-account ${what} ${file} (${code}); is a service account token mounted into this pod?`, {
      file,
      cause: error,
    });
  }
}

import { writeFile } from 'node:fs/promises';

/** The cluster a kubeconfig written by envtest points at. */
export interface KubeconfigCluster {
  name: string;
  server: string;
  caCert: string;
}

/** A user entry: a client certificate pair or a bearer token. */
export interface KubeconfigUser {
  name: string;
  clientCert?: string;
  clientKey?: string;
  token?: string;
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * Writes a one-cluster, one-user kubeconfig (JSON, which every kubeconfig reader accepts as
 * YAML) with mode 0600, since it holds credentials. Returns the path.
 */
export async function writeKubeconfig(path: string, cluster: KubeconfigCluster, user: KubeconfigUser): Promise<string> {
  const credentials: Record<string, string> = {};
  if (user.clientCert && user.clientKey) {
    credentials['client-certificate-data'] = base64(user.clientCert);
    credentials['client-key-data'] = base64(user.clientKey);
  }
  if (user.token) credentials.token = user.token;
  const context = `${cluster.name}-${user.name}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: { server: cluster.server, 'certificate-authority-data': base64(cluster.caCert) } }],
    users: [{ name: user.name, user: credentials }],
    contexts: [{ name: context, context: { cluster: cluster.name, user: user.name, namespace: 'default' } }],
    'current-context': context,
  };
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return path;
}

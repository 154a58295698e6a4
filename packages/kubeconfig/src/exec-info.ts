import type { Cluster } from './config-types.ts';
import { EXEC_CLUSTER_EXTENSION, type ExecClusterInfo } from './exec-credentials.ts';

/**
 * The cluster as client-go's `rest.ConfigToExecCluster` hands it to a plugin with
 * `provideClusterInfo`: the normalized server, TLS settings, the CA as base64 PEM, proxy,
 * compression, and the `client.authentication.k8s.io/exec` extension as `config`.
 */
export function execClusterInfo(cluster: Cluster, host: string, caData: string | undefined): ExecClusterInfo {
  const info: ExecClusterInfo = { server: host };
  if (cluster['tls-server-name']) info['tls-server-name'] = cluster['tls-server-name'];
  if (cluster['insecure-skip-tls-verify']) info['insecure-skip-tls-verify'] = true;
  if (caData !== undefined) info['certificate-authority-data'] = Buffer.from(caData, 'utf8').toString('base64');
  if (cluster['proxy-url']) info['proxy-url'] = cluster['proxy-url'];
  if (cluster['disable-compression']) info['disable-compression'] = true;
  // client-go's RawExtension is never omitted: no extension is `"config": null`.
  info.config = cluster.extensions?.find((e) => e.name === EXEC_CLUSTER_EXTENSION)?.extension ?? null;
  return info;
}

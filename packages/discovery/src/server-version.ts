import type { RestClient } from '@kgo/rest';

/** The API server's build information, from `/version` (apimachinery's `version.Info`). */
export interface ServerVersion {
  major: string;
  minor: string;
  /** e.g. `v1.37.2` */
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
}

/**
 * Fetches the server's version (client-go `DiscoveryClient.ServerVersion`). Works with a client
 * of any group-version: the path is absolute.
 *
 * @example
 * ```ts
 * const { gitVersion } = await serverVersion(new RestClient(config));
 * ```
 */
export async function serverVersion(client: RestClient, signal?: AbortSignal): Promise<ServerVersion> {
  const request = client.get().absPath('/version');
  if (signal) request.signal(signal);
  const version = (await request.do()).into<ServerVersion>();
  if (typeof version.gitVersion !== 'string') {
    throw new Error(`GET ${request.url()}: the response is not a version document (no gitVersion)`);
  }
  return version;
}

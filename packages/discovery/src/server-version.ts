import { DecodeError, type RestClient } from '@kgo/rest';
import type { VersionInfo } from './model/version-info.ts';

/** The API server's build information; the same as {@link VersionInfo}. */
export type ServerVersion = VersionInfo;

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
    throw new DecodeError(`GET ${request.url()}: the response is not a version document (no gitVersion)`, { verb: 'GET', url: request.url().toString() });
  }
  return version;
}

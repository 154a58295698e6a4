import { testCluster } from '@kgo/envtest/vitest';
import type { RestConfig } from '@kgo/rest';
import type { APIResource, APIResourceList } from '../model/api-resource.ts';

/** The envtest cluster and an admin RestConfig for it (no client-side rate limit: tests set up fast). */
export function adminConfig(): RestConfig {
  const cluster = testCluster();
  const tls: NonNullable<RestConfig['tls']> = { caData: cluster.caCert };
  if (cluster.admin.cert) tls.certData = cluster.admin.cert;
  if (cluster.admin.key) tls.keyData = cluster.admin.key;
  const config: RestConfig = { host: cluster.server, tls, qps: -1 };
  if (cluster.admin.token) config.bearerToken = cluster.admin.token;
  return config;
}

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/**
 * True for groups another test suite's fixtures own: suites share one API server in CI, and
 * their CRDs come and go while this suite compares snapshots.
 */
export const foreignTo =
  (suite: string) =>
  (group: string): boolean =>
    group.endsWith('.kgo.test') && !group.endsWith(`.${suite}.kgo.test`);

/**
 * A resource as both discovery formats agree on it: aggregated discovery names every resource's
 * group and version, the legacy documents only where they differ from the list's; the legacy
 * documents carry storage version hashes, aggregated ones do not; aggregated subresources take
 * their parent's singular name (client-go's conversion), legacy ones have none.
 */
export function comparable(list: APIResourceList): { groupVersion: string; resources: APIResource[] } {
  const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
  const resources = list.resources
    .map((resource) => {
      const copy: APIResource = { ...resource };
      delete copy.storageVersionHash;
      if (copy.name.includes('/')) copy.singularName = '';
      if (copy.group === group && copy.version === version) {
        delete copy.group;
        delete copy.version;
      }
      return copy;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { groupVersion: list.groupVersion, resources };
}

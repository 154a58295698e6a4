import type { TestCluster } from './test-cluster.ts';

/**
 * The connection settings of a {@link TestCluster} in the shape of `@kgo/rest`'s `RestConfig`
 * (structurally: envtest is test-only and depends on no kgo package, so it names the fields
 * rather than importing the type; a test in @kgo/rest checks the two stay assignable).
 */
export interface TestRestConfig {
  host: string;
  tls: { caData: string; certData?: string | undefined; keyData?: string | undefined };
  bearerToken?: string | undefined;
  qps?: number | undefined;
  burst?: number | undefined;
}

/**
 * A RestConfig for a test cluster: its server and CA, with the credentials of its admin (default)
 * or of its unprivileged token user. Client-side rate limiting is off unless `qps` says otherwise,
 * so tests measure the server, not the limiter.
 *
 * @example
 * ```ts
 * const cluster = testCluster();
 * const core = new RestClient(restConfigFor(cluster), { groupVersion: { group: '', version: 'v1' } });
 * ```
 */
export function restConfigFor(cluster: TestCluster, options: { user?: 'admin' | 'user'; qps?: number; burst?: number } = {}): TestRestConfig {
  const base = { host: cluster.server, qps: options.qps ?? -1, ...(options.burst === undefined ? {} : { burst: options.burst }) };
  if (options.user === 'user') {
    if (!cluster.user) throw new Error('this test cluster has no unprivileged token user (only envtest-managed clusters do)');
    return { ...base, tls: { caData: cluster.caCert }, bearerToken: cluster.user.token };
  }
  const { cert, key, token } = cluster.admin;
  return { ...base, tls: { caData: cluster.caCert, certData: cert, keyData: key }, ...(token ? { bearerToken: token } : {}) };
}

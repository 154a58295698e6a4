import { inject } from 'vitest';
import type { TestCluster } from './test-cluster.ts';
import type {} from './vitest-setup.ts';

export { restConfigFor, type TestRestConfig } from './rest-config.ts';

/**
 * The cluster this test run talks to, provided by the `@kgo/envtest/vitest-setup` global setup.
 *
 * @example
 * ```ts
 * import { testCluster } from '@kgo/envtest/vitest';
 * const cluster = testCluster();
 * const res = await fetch(`${cluster.server}/version`, ...);
 * ```
 */
export function testCluster(): TestCluster {
  const cluster = inject('kgoTestCluster');
  if (!cluster) {
    throw new Error(
      process.env.KGO_ENVTEST === 'off'
        ? 'No test cluster: KGO_ENVTEST=off is set, so integration tests cannot run. Unset it.'
        : "No test cluster: add globalSetup: ['@kgo/envtest/vitest-setup'] to this package's vitest config.",
    );
  }
  return cluster;
}

/** A namespace name unique to this test file and run, for tests that share one cluster. */
export function uniqueNamespace(prefix = 'kgo-test'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

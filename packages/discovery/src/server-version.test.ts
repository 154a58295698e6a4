import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { RestClient } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { serverVersion } from './server-version.ts';

describe('serverVersion', () => {
  it('reads /version from the real API server', async () => {
    const cluster = testCluster();
    const client = new RestClient(restConfigFor(cluster));
    const version = await serverVersion(client);
    expect(version.gitVersion).toMatch(/^v\d+\.\d+\.\d+/);
    if (cluster.gitVersion) expect(version.gitVersion).toBe(cluster.gitVersion);
    expect(version.gitVersion.startsWith(`v${version.major}.${version.minor.replace(/\+$/, '')}.`)).toBe(true);
  });
});

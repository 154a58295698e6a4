import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { HttpClient } from '@kgo/rest';
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import { describe, expect, it } from 'vitest';

/*
 * The Deployment example needs pods that run: this project's vitest config gives it a cluster
 * with nodes (provide: { kgoEnvtestNodes }), where the scheduler, the controllers and kwok act.
 */

const cluster = testCluster();
const example = fileURLToPath(new URL('../create-update-delete-deployment.ts', import.meta.url));

describe('create-update-delete-deployment.ts', () => {
  it('creates, rolls out, updates with a retry on conflict, lists and deletes, in a namespace it deletes after', async () => {
    expect(cluster.nodes?.length).toBeGreaterThan(0);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--conditions=@kgo/source', example],
        { env: { ...process.env, KUBECONFIG: cluster.adminKubeconfig }, timeout: 120_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const namespace = /^Listing deployments in namespace "(kgo-deployment-example-[a-z0-9]{5})":$/m.exec(result.stdout)?.[1];
    expect(namespace).toBeDefined();
    expect(result.stdout).toBe(
      [
        'Creating deployment...',
        'Created deployment "demo-deployment".',
        'Rolled out: 2 of 2 replicas ready.',
        'Updating deployment...',
        'Updated deployment: 1 of 1 replicas ready, image registry.k8s.io/pause:3.9.',
        `Listing deployments in namespace "${namespace}":`,
        ' * demo-deployment (1 replicas)',
        'Deleting deployment...',
        'Deleted deployment.',
        '',
      ].join('\n'),
    );
    // The namespace controller (a cluster with nodes runs one) finishes the namespace's deletion.
    await using http = new HttpClient(restConfigFor(cluster));
    const namespaces = createClientSet(http, { coreV1 }).coreV1().namespaces();
    const deadline = Date.now() + 60_000;
    while (await namespaces.get(namespace ?? '').then(() => true, () => false)) {
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not deleted within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});

import { criLogLine, simulatePod } from '@kgo/envtest';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { DEFAULT_RETRY, HttpClient, PatchType, retryOnConflict, StatusError } from '@kgo/rest';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appsV1 } from './generated/apps/v1/client.ts';
import type { Deployment } from './generated/apps/v1/types.ts';
import { batchV1 } from './generated/batch/v1/client.ts';
import type { Job } from './generated/batch/v1/types.ts';
import { coreV1 } from './generated/core/v1/client.ts';
import type { Pod } from './generated/core/v1/types.ts';
import { policyV1 } from './generated/policy/v1/client.ts';
import { createClientSet } from './runtime/client-set.ts';

/*
 * Workloads through kgo's typed clients on a cluster with nodes (this project's vitest config
 * provides kgoEnvtestNodes): the scheduler binds, the controllers roll out and collect, kwok runs.
 */

const cluster = testCluster();
const http = new HttpClient(restConfigFor(cluster));
const clientSet = createClientSet(http, { coreV1, appsV1, batchV1, policyV1 });
const namespace = uniqueNamespace('kgo-typed-nodes');
const core = clientSet.coreV1();
const deployments = clientSet.appsV1().deployments(namespace);
const TIMEOUT = 60_000;

beforeAll(async () => {
  expect(cluster.nodes?.length, 'this suite runs on a cluster with nodes (provide: { kgoEnvtestNodes })').toBeGreaterThan(0);
  await core.namespaces().create({ metadata: { name: namespace } });
  await until('the default service account', () => core.serviceAccounts(namespace).get('default').then(() => true, () => false));
});
afterAll(async () => {
  await core.namespaces().delete(namespace).catch(() => {});
  await http.close();
});

function deployment(name: string, replicas: number, image = 'registry.k8s.io/pause:3.10'): Deployment {
  const labels = { app: name };
  return {
    metadata: { name, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image }] } } },
  };
}

/** kubectl rollout status's rule: the controller saw this generation, and every replica is updated, available and no old one is left. */
function rolledOut(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

/** Watches `name` from its current resourceVersion until `done` holds for it (bounded). */
async function watchUntil(name: string, done: (d: Deployment) => boolean): Promise<Deployment> {
  const current = await deployments.get(name);
  if (done(current)) return current;
  const watch = await deployments.watch({ fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata?.resourceVersion, timeoutSeconds: TIMEOUT / 1000 });
  for await (const event of watch) {
    if (event.type === 'ERROR') throw new Error(`watch of deployment ${name} failed: ${JSON.stringify(event.object)}`);
    const object = event.object as Deployment;
    if (event.type === 'DELETED' || done(object)) {
      watch.stop();
      return object;
    }
  }
  throw new Error(`deployment ${name}: the watch ended before the condition held`);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const podsOf = async (app: string): Promise<Pod[]> => (await core.pods(namespace).list({ labelSelector: `app=${app}` })).items;

describe('a Deployment through the typed client', () => {
  it('rolls out (pods Running with IPs on the nodes), rolls to a new image, and scales through the scale subresource', async () => {
    await deployments.create(deployment('web', 2));
    expect(rolledOut(await watchUntil('web', rolledOut))).toBe(true);
    const pods = await podsOf('web');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toBeTruthy();
      expect(cluster.nodes).toContain(pod.spec?.nodeName);
    }

    await deployments.patch('web', PatchType.StrategicMerge, { spec: { template: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] } } } });
    await watchUntil('web', rolledOut);
    const sets = (await clientSet.appsV1().replicaSets(namespace).list({ labelSelector: 'app=web' })).items;
    expect(sets.map((rs) => [rs.spec?.template?.spec?.containers[0]?.image, rs.spec?.replicas]).sort()).toEqual([
      ['registry.k8s.io/pause:3.10', 0],
      ['registry.k8s.io/pause:3.9', 2],
    ]);

    // The deployment controller writes the object while this runs: read-modify-write of the scale
    // subresource, again on a 409, as on any cluster.
    await retryOnConflict(DEFAULT_RETRY, async () => {
      const scale = await deployments.getScale('web');
      return deployments.updateScale('web', { ...scale, spec: { replicas: 3 } });
    });
    const scaled = await watchUntil('web', (d) => rolledOut(d) && d.status?.readyReplicas === 3);
    expect(scaled.status?.readyReplicas).toBe(3);
    await until('three Running pods', async () => (await podsOf('web')).filter((p) => p.status?.phase === 'Running').length === 3);
  });

  it('deletes in the foreground: the Deployment goes only after its ReplicaSet and pods', async () => {
    await deployments.create(deployment('fg', 2));
    await watchUntil('fg', rolledOut);
    await deployments.delete('fg', { propagationPolicy: 'Foreground' });
    const last = await watchUntil('fg', () => false);
    expect(last.metadata?.finalizers ?? []).toContain('foregroundDeletion');
    expect((await clientSet.appsV1().replicaSets(namespace).list({ labelSelector: 'app=fg' })).items).toEqual([]);
    expect(await podsOf('fg')).toEqual([]);
  });
});

describe('other controllers', () => {
  it('completes a Job', async () => {
    const jobs = clientSet.batchV1().jobs(namespace);
    const job: Job = { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } } } };
    await jobs.create(job);
    await until('Job once Complete', async () => (await jobs.get('once')).status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') === true);
    expect((await jobs.get('once')).status?.succeeded).toBe(1);
  });

  it('evicts through the eviction subresource; a PodDisruptionBudget makes it a 429', async () => {
    const pods = core.pods(namespace);
    for (const name of ['guarded', 'free']) {
      await pods.create({ metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } });
    }
    await until('both pods Running', async () => (await Promise.all(['guarded', 'free'].map((n) => pods.get(n)))).every((p) => p.status?.phase === 'Running'));
    const budgets = clientSet.policyV1().podDisruptionBudgets(namespace);
    await budgets.create({ metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
    await until('the budget computed', async () => (await budgets.get('guard')).status?.expectedPods === 1);

    const refused = await pods.createEviction('guarded', { metadata: { name: 'guarded', namespace } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StatusError);
    expect((refused as StatusError).code).toBe(429);
    expect((refused as StatusError).message).toContain('disruption budget');

    await pods.createEviction('free', { metadata: { name: 'free', namespace } });
    await until('the evicted pod gone', () => pods.get('free').then(() => false, () => true));
  });

  it('streams a container log as kwok serves it from a file, following what is appended', async () => {
    const pods = core.pods(namespace);
    await pods.create({ metadata: { name: 'logger' }, spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } });
    await until('logger Running', async () => (await pods.get('logger')).status?.phase === 'Running');
    const dir = await mkdtemp(join(tmpdir(), 'kgo-typed-logs-'));
    try {
      const file = join(dir, 'logger.log');
      await writeFile(file, criLogLine('one'));
      await simulatePod(cluster, { namespace, name: 'logger' }, { logs: { file, follow: true } });
      const stream = await pods.getLog('logger', { follow: true });
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the log stream ended before "${needle.trim()}": ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil('one\n');
      await appendFile(file, criLogLine('two'));
      await readUntil('two\n');
      expect(text).toBe('one\ntwo\n');
      await reader.cancel();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

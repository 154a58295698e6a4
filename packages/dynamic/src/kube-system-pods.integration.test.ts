import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { isNotFound, type ObjectMeta } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromUnstructured } from './conversion.ts';
import { DynamicClient } from './dynamic-client.ts';
import { KindMismatchError } from './errors/kind-mismatch-error.ts';
import { getLabels, getName } from './object-meta-accessors.ts';

/*
 * The seed scenario: list kube-system pods dynamically and use them as typed pods. envtest runs
 * no kubelet, scheduler or controllers, so the test makes its own pods there; they stay Pending.
 */

/** The part of core/v1 Pod this test reads (until @kgo/typed is generated). */
interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: { containers: { name: string; image: string }[]; nodeName?: string; restartPolicy?: string };
  status?: { phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'; qosClass?: string };
}

const dynamic = new DynamicClient(restConfigFor(testCluster()));
const pods = dynamic.resource({ group: '', version: 'v1', resource: 'pods' }).namespace('kube-system');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const names = [`seed-a-${run}`, `seed-b-${run}`];

beforeAll(async () => {
  for (const name of names) {
    await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { 'kgo-seed': run } },
      spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] },
    });
  }
});

afterAll(async () => {
  await pods.deleteCollection({ labelSelector: `kgo-seed=${run}`, gracePeriodSeconds: 0 }).catch(() => {});
  await dynamic.close();
});

describe('kube-system pods, listed dynamically, used as typed pods', () => {
  it('converts every listed pod to the Pod type, checking apiVersion and kind', async () => {
    const list = await pods.list();
    // The server leaves apiVersion/kind out of list items; the client fills them in, so the check can pass.
    const typed = list.items.map((item) => fromUnstructured<Pod>(item, { apiVersion: 'v1', kind: 'Pod' }));
    expect(typed.length).toBeGreaterThanOrEqual(2);
    expect(typed.every((pod) => pod.metadata.namespace === 'kube-system')).toBe(true);

    const ours = typed.filter((pod) => pod.metadata.labels?.['kgo-seed'] === run);
    expect(ours.map((pod) => pod.metadata.name).sort()).toEqual(names);
    for (const pod of ours) {
      expect(pod.spec.containers).toEqual([expect.objectContaining({ name: 'pause', image: 'registry.k8s.io/pause:3.10' })]);
      // No scheduler: never placed on a node, Pending for good. Defaults come from the API server.
      expect(pod.spec.nodeName).toBeUndefined();
      expect(pod.status?.phase).toBe('Pending');
      expect(pod.spec.restartPolicy).toBe('Always');
      expect(pod.status?.qosClass).toBe('BestEffort');
    }
  });

  it('does the same item by item across pages, and refuses a pod taken for another kind', async () => {
    const seen: string[] = [];
    for await (const item of pods.listItems({ limit: 1, labelSelector: `kgo-seed=${run}` })) {
      seen.push(fromUnstructured<Pod>(item, { apiVersion: 'v1', kind: 'Pod' }).metadata.name as string);
    }
    expect(seen.sort()).toEqual(names);

    const [first] = (await pods.list({ labelSelector: `kgo-seed=${run}` })).items;
    expect(() => fromUnstructured(first!, { apiVersion: 'apps/v1', kind: 'Deployment' })).toThrow(KindMismatchError);
    expect(() => fromUnstructured(first!, { apiVersion: 'apps/v1', kind: 'Deployment' })).toThrow(
      `expected apiVersion "apps/v1", kind "Deployment", got apiVersion "v1", kind "Pod" (object "kube-system/${getName(first!)}")`,
    );
    expect(getLabels(first!)['kgo-seed']).toBe(run);
  });

  it('evicts a pod through the eviction subresource (create with a subresource)', async () => {
    const [, name] = names as [string, string];
    await pods.create({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'kube-system' } }, { subresource: 'eviction' });
    // An unscheduled pod goes at once; a scheduled one would linger with a deletionTimestamp.
    const after = await pods.get(name).then(
      (pod) => pod.metadata?.deletionTimestamp,
      (error: unknown) => (isNotFound(error) ? 'gone' : Promise.reject(error)),
    );
    expect(after).toBeTruthy();
  });
});

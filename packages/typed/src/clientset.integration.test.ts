import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { HttpClient, isConflict, isNotFound, PatchType, StatusError } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appsV1 } from './generated/apps/v1/client.ts';
import { batchV1 } from './generated/batch/v1/client.ts';
import { certificatesV1 } from './generated/certificates/v1/client.ts';
import { coordinationV1 } from './generated/coordination/v1/client.ts';
import { coreV1 } from './generated/core/v1/client.ts';
import type { Pod } from './generated/core/v1/types.ts';
import { eventsV1 } from './generated/events/v1/client.ts';
import { rbacV1 } from './generated/rbac/v1/client.ts';
import { createClientSet } from './runtime/client-set.ts';

/* Real round trips through the generated clients against the kube-apiserver envtest starts. */

const cluster = testCluster();
const http = new HttpClient(restConfigFor(cluster));
const clientSet = createClientSet(http, { coreV1, appsV1, batchV1, rbacV1, coordinationV1, eventsV1, certificatesV1 });
const namespace = uniqueNamespace('kgo-typed');
const core = clientSet.coreV1();

const podSpec = { containers: [{ name: 'c', image: 'registry.example/app:1' }] };
const labels = { app: 'web' };

beforeAll(async () => {
  await core.namespaces().create({ metadata: { name: namespace } });
});
afterAll(async () => {
  await core.namespaces().delete(namespace).catch(() => {});
  await http.close();
});

describe('a ClientSet over one HttpClient', () => {
  it('shares the HttpClient between its group clients, and makes each group client once', () => {
    expect(clientSet.coreV1()).toBe(clientSet.coreV1());
    expect(clientSet.appsV1().http).toBe(http);
    expect(clientSet.coreV1().http).toBe(http);
  });
});

describe('core/v1', () => {
  it('creates, gets, lists by label, patches, watches and deletes pods (they stay Pending: no nodes)', async () => {
    const pods = core.pods(namespace);
    const watch = await pods.watch({ labelSelector: 'app=web', resourceVersion: '0' });
    const created = await pods.create({ metadata: { name: 'p1', labels }, spec: podSpec });
    expect(created.metadata?.uid).toBeTruthy();
    expect((await pods.get('p1')).status?.phase).toBe('Pending');
    const listed = await pods.list({ labelSelector: 'app=web' });
    expect(listed.items.map((pod) => pod.metadata?.name)).toEqual(['p1']);
    const patched = await pods.patch('p1', PatchType.StrategicMerge, { metadata: { labels: { tier: 'front' } } });
    expect(patched.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    for await (const event of watch) {
      if (event.type === 'ADDED') {
        expect((event.object as Pod).metadata?.name).toBe('p1');
        break;
      }
    }
    await pods.delete('p1', { gracePeriodSeconds: 0 });
    await expect(pods.get('p1')).rejects.toSatisfy(isNotFound);
  });

  it('lists pods across all namespaces with the empty namespace', async () => {
    await core.pods(namespace).create({ metadata: { name: 'everywhere' }, spec: podSpec });
    const all = await core.pods('').list();
    expect(all.items.some((pod) => pod.metadata?.namespace === namespace && pod.metadata.name === 'everywhere')).toBe(true);
  });

  it('evicts a pod through the eviction subresource', async () => {
    const pods = core.pods(namespace);
    await pods.create({ metadata: { name: 'evicted' }, spec: podSpec });
    await pods.createEviction('evicted', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evicted', namespace } });
    // An unscheduled pod is deleted at once.
    await expect(pods.get('evicted')).rejects.toSatisfy(isNotFound);
  });

  it('round-trips configmaps, secrets and services', async () => {
    const configMap = await core.configMaps(namespace).create({ metadata: { name: 'cm' }, data: { a: '1' } });
    expect(configMap.data).toEqual({ a: '1' });
    const secret = await core.secrets(namespace).create({ metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    expect(secret.data?.password).toBe(Buffer.from('hunter2').toString('base64'));
    const service = await core.services(namespace).create({ metadata: { name: 'svc' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } });
    expect(service.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(service.spec?.ports?.[0]?.targetPort).toBe(8080);
    const updated = await core.configMaps(namespace).update({ ...configMap, data: { a: '2' } });
    expect(updated.data).toEqual({ a: '2' });
    await expect(core.configMaps(namespace).update({ ...configMap, data: { a: '3' } })).rejects.toSatisfy(isConflict);
  });

  it('issues a service account token through the token subresource', async () => {
    await core.serviceAccounts(namespace).create({ metadata: { name: 'robot' } });
    const request = await core.serviceAccounts(namespace).createToken('robot', { spec: { audiences: ['kgo-test'], expirationSeconds: 600 } });
    expect(request.status?.token?.split('.')).toHaveLength(3);
  });

  it('finalizes a namespace through the finalize subresource', async () => {
    const name = uniqueNamespace('kgo-typed-fin');
    const created = await core.namespaces().create({ metadata: { name } });
    expect(created.spec?.finalizers).toEqual(['kubernetes']);
    const finalized = await core.namespaces().updateFinalize(name, { metadata: { name }, spec: { finalizers: [] } });
    expect(finalized.spec?.finalizers ?? []).toEqual([]);
    await core.namespaces().delete(name);
  });
});

describe('server-side apply', () => {
  it('applies with two field managers: a conflict, then force takes the field', async () => {
    const configMaps = core.configMaps(namespace);
    const apply = (value: string) => ({ apiVersion: 'v1' as const, kind: 'ConfigMap' as const, metadata: { name: 'applied' }, data: { mode: value } });
    await configMaps.apply(apply('a'), { fieldManager: 'manager-a' });
    const conflict = await configMaps.apply(apply('b'), { fieldManager: 'manager-b' }).catch((error: unknown) => error);
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as StatusError).message).toMatch(/manager-a/);
    const forced = await configMaps.apply(apply('b'), { fieldManager: 'manager-b', force: true });
    expect(forced.data).toEqual({ mode: 'b' });
    expect(forced.metadata?.managedFields?.map((entry) => entry.manager)).toContain('manager-b');
  });

  it('refuses an apply without a field manager before sending', async () => {
    const error = await core
      .configMaps(namespace)
      .apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, { fieldManager: '' })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('apply of ConfigMap: options.fieldManager is required for server-side apply');
  });
});

describe('apps/v1 and batch/v1', () => {
  const template = { metadata: { labels }, spec: podSpec };

  it('reads and updates a deployment through its scale subresource', async () => {
    const deployments = clientSet.appsV1().deployments(namespace);
    await deployments.create({ metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: labels }, template } });
    const scale = await deployments.getScale('web');
    expect(scale.spec?.replicas).toBe(1);
    await deployments.updateScale('web', { ...scale, spec: { replicas: 3 } });
    expect((await deployments.get('web')).spec?.replicas).toBe(3);
  });

  it('round-trips statefulsets and jobs, and updates status through the status subresource', async () => {
    const statefulSet = await clientSet
      .appsV1()
      .statefulSets(namespace)
      .create({ metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: labels }, template } });
    expect(statefulSet.spec?.serviceName).toBe('db');
    const jobs = clientSet.batchV1().jobs(namespace);
    const job = await jobs.create({ metadata: { name: 'once' }, spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } });
    const withStatus = await jobs.updateStatus({ ...job, status: { active: 1 } });
    expect(withStatus.status?.active).toBe(1);
  });
});

describe('rbac, coordination, events and certificates', () => {
  it('creates roles and role bindings', async () => {
    const rbac = clientSet.rbacV1();
    await rbac.roles(namespace).create({ metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] });
    const binding = await rbac.roleBindings(namespace).create({
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }],
    });
    expect(binding.roleRef.name).toBe('reader');
  });

  it('creates leases and events', async () => {
    const lease = await clientSet.coordinationV1().leases(namespace).create({ metadata: { name: 'leader' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } });
    expect(lease.spec?.holderIdentity).toBe('me');
    const event = await clientSet
      .eventsV1()
      .events(namespace)
      .create({
        metadata: { name: 'ev' },
        eventTime: new Date().toISOString().replace(/\.\d+Z$/, '.000000Z'),
        reportingController: 'kgo.example/test',
        reportingInstance: 'test-1',
        action: 'Testing',
        reason: 'Tested',
        type: 'Normal',
        regarding: { kind: 'Lease', name: 'leader', namespace },
      });
    expect(event.reason).toBe('Tested');
  });

  it('approves a certificate signing request through the approval subresource', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kgo-csr-'));
    try {
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'csr.pem'), '-subj', '/CN=kgo-test'], { stdio: 'ignore' });
      const csrs = clientSet.certificatesV1().certificateSigningRequests();
      const name = `${namespace}-csr`;
      const csr = await csrs.create({
        metadata: { name },
        spec: { request: readFileSync(join(dir, 'csr.pem')).toString('base64'), signerName: 'kgo.example/signer', usages: ['client auth'] },
      });
      const approved = await csrs.updateApproval(name, {
        ...csr,
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KgoTest', message: 'approved by the kgo test' }] },
      });
      expect(approved.status?.conditions?.map((condition) => condition.type)).toEqual(['Approved']);
      await csrs.delete(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

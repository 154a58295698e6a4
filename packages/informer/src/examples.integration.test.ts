/*
 * The README's controller example (examples/widget-controller.ts), run against envtest: two
 * replicas under leader election reconcile Widgets into ConfigMaps; the leader stops and the
 * other replica takes over.
 */
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { HttpClient, type KubeObject, RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWidgetCrd, runWidgetController, type Widget } from '../examples/widget-controller.ts';
import { type ConfigMap, createNamespace, deleteNamespace, eventually } from './test/fixtures.ts';

const cluster = testCluster();
const http = new HttpClient(restConfigFor(cluster) as ConstructorParameters<typeof HttpClient>[0]);
const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
const widgets = new RestClient(http, { groupVersion: { group: 'example.kgo.dev', version: 'v1' } });
const namespace = uniqueNamespace('kgo-widgets');

beforeAll(async () => {
  await installWidgetCrd(http);
  await createNamespace(core, namespace);
});

afterAll(async () => {
  await deleteNamespace(core, namespace);
  await http.close();
});

const widget = (name: string, message: string): Widget => ({ apiVersion: 'example.kgo.dev/v1', kind: 'Widget', metadata: { name }, spec: { message } });
const getConfigMap = (name: string) => core.get().namespace(namespace).resource('configmaps').name(name).do().into<ConfigMap>().catch(() => undefined);

describe('the widget controller example', () => {
  it('reconciles Widgets into ConfigMaps with one leader among two replicas, and fails over', async () => {
    const reconciledBy: string[] = [];
    const replicas = ['replica-1', 'replica-2'].map((identity) => {
      const stop = new AbortController();
      const running = runWidgetController({
        http,
        namespace,
        identity,
        signal: stop.signal,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 500,
        onReconciled: () => void reconciledBy.push(identity),
      });
      return { identity, stop, running };
    });

    for (let i = 1; i <= 4; i++) await widgets.post().namespace(namespace).resource('widgets').body(widget(`w${i}`, `hello ${i}`)).do();
    await eventually(async () => (await getConfigMap('widget-w4'))?.data?.message === 'hello 4', 20_000, () => 'widget-w4 never made');
    const cm = (await getConfigMap('widget-w1'))!;
    expect(cm.data).toEqual({ message: 'hello 1' });
    expect(cm.metadata?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'widget-controller' });
    expect(cm.metadata?.ownerReferences?.[0]).toMatchObject({ apiVersion: 'example.kgo.dev/v1', kind: 'Widget', name: 'w1', controller: true });

    // An update of the spec reaches the ConfigMap; a ConfigMap deleted by hand comes back; a
    // deleted Widget takes its ConfigMap along.
    const w2 = await widgets.get().namespace(namespace).resource('widgets').name('w2').do().into<Widget>();
    await widgets.put().namespace(namespace).resource('widgets').name('w2').body({ ...w2, spec: { message: 'changed' } }).do();
    await core.delete().namespace(namespace).resource('configmaps').name('widget-w3').do();
    await widgets.delete().namespace(namespace).resource('widgets').name('w4').do();
    await eventually(
      async () => (await getConfigMap('widget-w2'))?.data?.message === 'changed' && (await getConfigMap('widget-w3')) !== undefined && (await getConfigMap('widget-w4')) === undefined,
      20_000,
      () => 'updates not reconciled',
    );
    // Only the leader reconciles.
    const leader = reconciledBy[0]!;
    expect(new Set(reconciledBy)).toEqual(new Set([leader]));

    // The leader stops (and releases its lease): the other replica takes over.
    const leaderReplica = replicas.find((r) => r.identity === leader)!;
    leaderReplica.stop.abort();
    await leaderReplica.running;
    await widgets.post().namespace(namespace).resource('widgets').body(widget('w5', 'after failover')).do();
    await eventually(async () => (await getConfigMap('widget-w5'))?.data?.message === 'after failover', 20_000, () => 'no failover');
    const other = replicas.find((r) => r.identity !== leader)!;
    expect(reconciledBy.at(-1)).toBe(other.identity);
    const managed = await core.get().namespace(namespace).resource('configmaps').params({ labelSelector: 'app.kubernetes.io/managed-by=widget-controller' }).do().into<{ items: KubeObject[] }>();
    expect(managed.items.map((item) => item.metadata?.name).sort()).toEqual(['widget-w1', 'widget-w2', 'widget-w3', 'widget-w5']);

    other.stop.abort();
    await other.running;
  }, 90_000);
});

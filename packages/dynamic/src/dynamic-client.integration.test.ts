import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import {
  type GroupVersionResource,
  isConflict,
  isNotFound,
  PatchType,
  StatusError,
  type Unstructured,
  type WatchEvent,
} from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crds, uniqueGroup, waitEstablished, widgetCrd } from './__fixtures__/custom-resource.ts';
import { RecordingHttpClient } from './__fixtures__/recording-http-client.ts';
import { DynamicClient } from './dynamic-client.ts';
import { getAnnotations, getFinalizers, getName, getResourceVersion, getUid, setAnnotations } from './object-meta-accessors.ts';
import { nestedField, nestedInt, nestedInt64, nestedString } from './unstructured.ts';

/* The DynamicClient against the real kube-apiserver: one custom resource and two built-ins, the same verbs on each. */

const cluster = testCluster();
const http = new RecordingHttpClient(restConfigFor(cluster));
const dynamic = new DynamicClient(http);
const namespace = uniqueNamespace('kgo-dyn');
const group = uniqueGroup('dyn');
const crd = widgetCrd(group);
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };

interface Subject {
  title: string;
  gvr: GroupVersionResource;
  apiVersion: string;
  kind: string;
  /** A valid object of this kind. */
  make(name: string, labels?: Record<string, string>): Unstructured;
  /** Strategic merge patch is for built-in types; custom resources answer 415. */
  strategicMerge: boolean;
  /** Has the status and scale subresources (`spec.replicas` is the scale): a valid status to write. */
  statusAndScale?: { status: Record<string, unknown> };
}

const subjects: Subject[] = [
  {
    title: 'a custom resource (Widget)',
    gvr: { group, version: 'v1', resource: 'widgets' },
    apiVersion: `${group}/v1`,
    kind: 'Widget',
    make: (name, labels) => ({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name, labels }, spec: { color: labels?.color ?? 'red', size: 1, replicas: 1 } }),
    strategicMerge: false,
    statusAndScale: { status: { phase: 'Ready', replicas: 1, selector: 'app=widget' } },
  },
  {
    title: 'configmaps',
    gvr: { group: '', version: 'v1', resource: 'configmaps' },
    apiVersion: 'v1',
    kind: 'ConfigMap',
    make: (name, labels) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { key: 'value' } }),
    strategicMerge: true,
  },
  {
    title: 'deployments (no controllers run: nothing acts on them)',
    gvr: { group: 'apps', version: 'v1', resource: 'deployments' },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    make: (name, labels) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } },
      },
    }),
    strategicMerge: true,
    statusAndScale: { status: { replicas: 1, observedGeneration: 1 } },
  },
];

beforeAll(async () => {
  await dynamic.resource(namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await dynamic.resource(crds).create(crd);
  await waitEstablished(dynamic, crd);
}, 60_000);

afterAll(async () => {
  for (const subject of subjects) await dynamic.resource(subject.gvr).namespace(namespace).deleteCollection().catch(() => {});
  await dynamic.resource(crds).delete(crd.metadata?.name as string).catch(() => {});
  await dynamic.resource(namespaces).delete(namespace).catch(() => {});
  await http.close();
});

describe.each(subjects)('on $title', (subject) => {
  const client = () => dynamic.resource(subject.gvr).namespace(namespace);
  const withNote = (obj: Unstructured, note: string) => {
    setAnnotations(obj, { ...getAnnotations(obj), note });
    return obj;
  };

  it('creates, gets, updates, and lists with label and field selectors', async () => {
    const run = Math.random().toString(36).slice(2, 7);
    const red = await client().create(subject.make(`sel-red-${run}`, { run, color: 'red' }));
    const blue = await client().create(subject.make(`sel-blue-${run}`, { run, color: 'blue' }));
    expect(getUid(red)).toBeTruthy();
    expect(red).toMatchObject({ apiVersion: subject.apiVersion, kind: subject.kind, metadata: { namespace } });

    const got = await client().get(`sel-red-${run}`);
    expect(getUid(got)).toBe(getUid(red));

    const updated = await client().update(withNote(got, 'updated'));
    expect(getAnnotations(updated).note).toBe('updated');
    expect(getResourceVersion(updated)).not.toBe(getResourceVersion(red));
    // The stale copy carries the old resourceVersion: optimistic concurrency refuses it.
    const stale = await errorOf(client().update(withNote(red, 'stale')));
    expect(isConflict(stale)).toBe(true);

    const byLabel = await client().list({ labelSelector: `run=${run},color=red` });
    expect(byLabel.items.map(getName)).toEqual([`sel-red-${run}`]);
    // Items of built-in lists come without apiVersion/kind; like client-go, the client fills them in.
    expect(byLabel.items[0]).toMatchObject({ apiVersion: subject.apiVersion, kind: subject.kind });
    expect(byLabel.kind).toBe(`${subject.kind}List`);
    const byField = await client().list({ fieldSelector: `metadata.name=sel-blue-${run}` });
    expect(byField.items.map(getUid)).toEqual([getUid(blue)]);
    if (subject.kind === 'Widget') {
      // A CRD's selectableFields make spec fields selectable too.
      const byColor = await client().list({ labelSelector: `run=${run}`, fieldSelector: 'spec.color=blue' });
      expect(byColor.items.map(getName)).toEqual([`sel-blue-${run}`]);
    }
    const all = await dynamic.resource(subject.gvr).list({ labelSelector: `run=${run}` });
    expect(all.items.map(getName).sort()).toEqual([`sel-blue-${run}`, `sel-red-${run}`]);
  });

  it('patches with each patch type', async () => {
    const name = `patch-${Math.random().toString(36).slice(2, 7)}`;
    await client().create(withNote(subject.make(name), 'created'));

    const merged = await client().patch(name, PatchType.Merge, { metadata: { annotations: { note: 'merge', extra: 'x' } } });
    expect(getAnnotations(merged)).toEqual({ note: 'merge', extra: 'x' });
    const jsonPatched = await client().patch(name, PatchType.JSON, [
      { op: 'test', path: '/metadata/annotations/note', value: 'merge' },
      { op: 'remove', path: '/metadata/annotations/extra' },
    ]);
    expect(getAnnotations(jsonPatched)).toEqual({ note: 'merge' });
    const failedTest = await errorOf(client().patch(name, PatchType.JSON, [{ op: 'test', path: '/metadata/annotations/note', value: 'other' }]));
    expect(StatusError.isInstance(failedTest) && failedTest.code).toBe(422);
    const applied = await client().patch(
      name,
      PatchType.Apply,
      JSON.stringify({ apiVersion: subject.apiVersion, kind: subject.kind, metadata: { name, annotations: { applied: 'yes' } } }),
      { fieldManager: 'patcher' },
    );
    expect(getAnnotations(applied)).toEqual({ note: 'merge', applied: 'yes' });

    const strategic = client().patch(name, PatchType.StrategicMerge, { metadata: { annotations: { note: 'strategic' } } });
    if (subject.strategicMerge) {
      expect(getAnnotations(await strategic).note).toBe('strategic');
    } else {
      const error = await errorOf(strategic);
      expect(StatusError.isInstance(error) && [error.code, error.reason]).toEqual([415, 'UnsupportedMediaType']);
    }
  });

  it('applies with two field managers: a conflict, then force', async () => {
    const name = `apply-${Math.random().toString(36).slice(2, 7)}`;
    const intent = (note: string) => withNote(subject.make(name), note);
    http.take();
    const first = await client().apply(intent('from-alice'), { fieldManager: 'alice' });
    expect(getAnnotations(first).note).toBe('from-alice');
    const [sent] = http.take();
    // As client-go: PATCH with the apply content type, fieldManager, and force always sent.
    expect(sent).toMatchObject({ method: 'PATCH', contentType: 'application/apply-patch+yaml', query: { fieldManager: ['alice'], force: ['false'] } });
    expect(sent?.path).toBe(`${subject.gvr.group ? `/apis/${subject.gvr.group}` : '/api'}/v1/namespaces/${namespace}/${subject.gvr.resource}/${name}`);

    const conflict = await errorOf(client().apply(intent('from-bob'), { fieldManager: 'bob' }));
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as StatusError).message).toMatch(/conflict with "alice"/);

    const forced = await client().apply(intent('from-bob'), { fieldManager: 'bob', force: true });
    expect(getAnnotations(forced).note).toBe('from-bob');
    const managers = (forced.metadata?.managedFields ?? []).map((entry) => entry.manager);
    expect(managers).toContain('bob');

    // An object read back carries managedFields: applying it is refused before any request.
    http.take();
    await expect(client().apply(forced, { fieldManager: 'bob' })).rejects.toThrow(/cannot apply an object with managed fields already set/);
    expect(http.take()).toEqual([]);
  });

  it('sees every change in order through a watch', async () => {
    const name = `watched-${Math.random().toString(36).slice(2, 7)}`;
    const fieldSelector = `metadata.name=${name}`;
    const { metadata } = await client().list({ fieldSelector });
    const stop = AbortSignal.timeout(20_000);
    const watch = await client().watch({ fieldSelector, resourceVersion: metadata.resourceVersion, signal: stop });

    const created = await client().create(withNote(subject.make(name), 'v1'));
    const updated = await client().update(withNote(created, 'v2'));
    const patched = await client().patch(name, PatchType.Merge, { metadata: { annotations: { note: 'v3' } } });
    await client().delete(name);

    const events: WatchEvent<Unstructured>[] = [];
    for await (const event of watch) {
      events.push(event);
      if (event.type === 'DELETED' || events.length >= 10) break;
    }
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    const objects = events.map((event) => event.object as Unstructured);
    expect(objects.slice(0, 3).map(getResourceVersion)).toEqual([created, updated, patched].map(getResourceVersion));
    expect(objects.map((obj) => getAnnotations(obj).note)).toEqual(['v1', 'v2', 'v3', 'v3']);
  });

  it('deletes with propagation policies and preconditions', async () => {
    const run = Math.random().toString(36).slice(2, 7);
    const make = async (name: string) => client().create(subject.make(`${name}-${run}`));

    // Foreground and Orphan leave the object behind a finalizer for the garbage collector (none runs here).
    await make('fg');
    http.take();
    const foreground = await client().delete(`fg-${run}`, { propagationPolicy: 'Foreground' });
    // As client-go: the DeleteOptions travel as the body, typed v1 DeleteOptions.
    expect(http.take()).toMatchObject([{ method: 'DELETE', contentType: 'application/json', body: '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}' }]);
    expect(foreground.metadata?.deletionTimestamp).toBeTruthy();
    expect(getFinalizers(foreground)).toContain('foregroundDeletion');
    await make('orphan');
    expect(getFinalizers(await client().delete(`orphan-${run}`, { propagationPolicy: 'Orphan' }))).toContain('orphan');
    for (const name of [`fg-${run}`, `orphan-${run}`]) {
      expect(getFinalizers(await client().get(name)).length).toBeGreaterThan(0);
      await client().patch(name, PatchType.Merge, { metadata: { finalizers: null } });
      expect(isNotFound(await errorOf(client().get(name)))).toBe(true);
    }
    await make('bg');
    await client().delete(`bg-${run}`, { propagationPolicy: 'Background' });
    expect(isNotFound(await errorOf(client().get(`bg-${run}`)))).toBe(true);

    const guarded = await make('guarded');
    const wrongUid = await errorOf(client().delete(`guarded-${run}`, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }));
    expect(isConflict(wrongUid)).toBe(true);
    expect((wrongUid as StatusError).message).toContain(
      'the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record',
    );
    await client().patch(`guarded-${run}`, PatchType.Merge, { metadata: { annotations: { bump: '1' } } });
    const staleVersion = await errorOf(client().delete(`guarded-${run}`, { preconditions: { resourceVersion: getResourceVersion(guarded) } }));
    expect(isConflict(staleVersion)).toBe(true);
    const current = await client().get(`guarded-${run}`);
    await client().delete(`guarded-${run}`, { preconditions: { uid: getUid(guarded), resourceVersion: getResourceVersion(current) } });
    expect(isNotFound(await errorOf(client().get(`guarded-${run}`)))).toBe(true);
  });

  it('deletes a collection by selector, and only what it matches', async () => {
    const run = Math.random().toString(36).slice(2, 7);
    for (const name of ['a', 'b', 'c']) await client().create(subject.make(`batch-${name}-${run}`, { batch: run }));
    await client().create(subject.make(`keep-${run}`, { batch: `${run}-keep` }));
    http.take();
    await client().deleteCollection({ labelSelector: `batch=${run}`, propagationPolicy: 'Background' });
    expect(http.take()).toMatchObject([
      { method: 'DELETE', query: { labelSelector: [`batch=${run}`] }, body: '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}' },
    ]);
    expect((await client().list({ labelSelector: `batch=${run}` })).items).toEqual([]);
    expect((await client().list({ labelSelector: `batch=${run}-keep` })).items.map(getName)).toEqual([`keep-${run}`]);
  });
});

// Only resources with the status and scale subresources (configmaps have neither).
describe.each(subjects.filter((subject) => subject.statusAndScale))('subresources of $title', (subject) => {
  const client = () => dynamic.resource(subject.gvr).namespace(namespace);

  it('writes status and scales through the subresources', async () => {
    const { status } = subject.statusAndScale!;
    const name = `sub-${Math.random().toString(36).slice(2, 7)}`;
    const created = await client().create(subject.make(name));

    // The status subresource takes status only: the spec change in the same object is ignored.
    const statusUpdate = structuredClone(created);
    statusUpdate.status = status;
    (statusUpdate.spec as Record<string, unknown>).replicas = 7;
    const afterStatus = await client().updateStatus(statusUpdate);
    expect(afterStatus.status).toMatchObject(status);
    expect(nestedInt(afterStatus, 'spec', 'replicas').value).toBe(1);

    const applied = await client().applyStatus(
      { apiVersion: subject.apiVersion, kind: subject.kind, metadata: { name }, status: { ...status, replicas: 2 } },
      { fieldManager: 'status-writer', force: true },
    );
    expect(nestedInt(applied, 'status', 'replicas').value).toBe(2);

    const scale = await client().get(name, { subresource: 'scale' });
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 2 } });
    const scaled = await client().update({ ...scale, spec: { replicas: 4 } }, { subresource: 'scale' });
    expect(nestedInt(scaled, 'spec', 'replicas').value).toBe(4);
    expect(nestedInt(await client().get(name), 'spec', 'replicas').value).toBe(4);
    await client().patch(name, PatchType.Merge, { spec: { replicas: 3 } }, { subresource: 'scale' });
    expect(nestedInt(await client().get(name), 'spec', 'replicas').value).toBe(3);
  });
});

describe('checks before any request', () => {
  it("refuses what client-go refuses, with client-go's messages, and sends nothing", async () => {
    const widgets = dynamic.resource({ group, version: 'v1', resource: 'widgets' }).namespace(namespace);
    const named = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w' } };
    http.take();
    await expect(widgets.get('')).rejects.toThrow(new TypeError('name is required'));
    await expect(widgets.delete('')).rejects.toThrow('name is required');
    await expect(widgets.patch('', PatchType.Merge, {})).rejects.toThrow('name is required');
    await expect(widgets.update({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: {} })).rejects.toThrow('name is required');
    await expect(widgets.updateStatus({ apiVersion: `${group}/v1`, kind: 'Widget' })).rejects.toThrow('name is required');
    await expect(widgets.apply({ apiVersion: `${group}/v1`, kind: 'Widget' }, { fieldManager: 'm' })).rejects.toThrow('name is required');
    await expect(widgets.create({ kind: 'Eviction' }, { subresource: 'eviction' })).rejects.toThrow('name is required');
    await expect(widgets.get('a/b')).rejects.toThrow(`invalid resource name "a/b": [may not contain '/']`);
    await expect(widgets.get('..')).rejects.toThrow(`invalid resource name "..": [may not be '..']`);
    await expect(widgets.get('w', { subresource: 'st%atus' })).rejects.toThrow(`invalid subresource "st%atus": [may not contain '%']`);
    await expect(dynamic.resource(subjects[1]!.gvr).namespace('a/b').list()).rejects.toThrow(`invalid namespace "a/b": [may not contain '/']`);
    await expect(widgets.apply(named, { fieldManager: '' })).rejects.toThrow('apply needs options.fieldManager');
    await expect(widgets.apply(named, undefined as never)).rejects.toThrow('apply needs options.fieldManager');
    await expect(widgets.patch('w', 'application/yaml' as PatchType, {})).rejects.toThrow('unknown patch type "application/yaml"');
    await expect(widgets.create([] as unknown as Unstructured)).rejects.toThrow('create needs an object, got an array');
    expect(() => dynamic.resource({ group: '', version: '', resource: 'pods' })).toThrow("resource(): version is required (e.g. 'v1')");
    expect(() => dynamic.resource({ group: '', version: 'v1', resource: '' })).toThrow('resource(): resource is required');
    expect(() => (widgets as unknown as { namespace(ns: string): unknown }).namespace('other')).toThrow(`already scoped to namespace "${namespace}"`);
    expect(http.take()).toEqual([]);
  });
});

describe('one HttpClient', () => {
  it('serves every group-version: one pool and one rate limiter, shared with other clients', async () => {
    const before = http.sent.length;
    await dynamic.resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace(namespace).list({ limit: 1 });
    await dynamic.resource({ group: 'apps', version: 'v1', resource: 'deployments' }).namespace(namespace).list({ limit: 1 });
    await dynamic.resource({ group, version: 'v1', resource: 'widgets' }).list({ limit: 1 });
    expect(http.sent.slice(before).map((sent) => sent.path)).toEqual([
      `/api/v1/namespaces/${namespace}/configmaps`,
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      `/apis/${group}/v1/widgets`,
    ]);
    // Closing a client made over a shared HttpClient leaves it open for the others.
    await new DynamicClient(http).close();
    await dynamic.resource(namespaces).get(namespace);
  });
});

describe('int64 beyond 2^53', () => {
  it('round-trips exactly with exactIntegers, and is refused rather than trusted without', async () => {
    const exact = new DynamicClient(http, { exactIntegers: true });
    const widgets = exact.resource({ group, version: 'v1', resource: 'widgets' }).namespace(namespace);
    const max = 9223372036854775807n;
    const created = await widgets.create({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'big' }, spec: { big: max, size: 3 } });
    expect(nestedField(created, 'spec', 'big').value).toBe(max);
    expect(nestedInt64(await widgets.get('big'), 'spec', 'big').value).toBe(max);
    expect(nestedInt64(created, 'spec', 'size').value).toBe(3);
    const listed = await widgets.list({ fieldSelector: 'metadata.name=big' });
    expect(nestedInt64(listed.items[0]!, 'spec', 'big').value).toBe(max);

    const rounded = await dynamic.resource({ group, version: 'v1', resource: 'widgets' }).namespace(namespace).get('big');
    expect(() => nestedInt64(rounded, 'spec', 'big')).toThrow(/may have been rounded by JSON\.parse/);
    expect(nestedString(rounded, 'metadata', 'name').value).toBe('big');
  });
});

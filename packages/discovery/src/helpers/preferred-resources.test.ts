import { describe, expect, it } from 'vitest';
import { GroupDiscoveryFailedError } from '../errors/group-discovery-failed-error.ts';
import type { APIGroup } from '../model/api-group.ts';
import type { APIResource, APIResourceList } from '../model/api-resource.ts';
import { filterResources, preferredResources } from './preferred-resources.ts';
import { serverGroupsAndResources, serverPreferredNamespacedResources, serverPreferredResources, type DiscoverySource } from './server-groups-and-resources.ts';

const res = (name: string, namespaced = true): APIResource => ({ name, singularName: '', namespaced, kind: name, verbs: ['get'] });
const group = (name: string, versions: string[], preferred = versions[0]): APIGroup => ({
  name,
  versions: versions.map((v) => ({ groupVersion: name ? `${name}/${v}` : v, version: v })),
  preferredVersion: { groupVersion: name ? `${name}/${preferred}` : (preferred as string), version: preferred as string },
});
const list = (groupVersion: string, ...resources: APIResource[]): APIResourceList => ({ groupVersion, resources });

const groups = [group('', ['v1']), group('x.io', ['v1', 'v1beta1', 'v2alpha1']), group('y.io', ['v2', 'v1'], 'v1')];
const lists = [
  list('v1', res('pods'), res('pods/status'), res('nodes', false)),
  list('x.io/v1', res('widgets')),
  list('x.io/v1beta1', res('widgets'), res('mice')),
  list('x.io/v2alpha1', res('widgets'), res('mice'), res('cacti', false)),
  list('y.io/v2', res('things'), res('newthings')),
  list('y.io/v1', res('things')),
];
const byGv = new Map(lists.map((l) => [l.groupVersion, l]));

describe('preferredResources', () => {
  const preferred = preferredResources(groups, byGv);
  const names = (gv: string) => preferred.find((l) => l.groupVersion === gv)?.resources.map((r) => r.name);

  it('takes the preferred version, else the first version serving a resource; no subresources', () => {
    expect(preferred.map((l) => l.groupVersion)).toEqual(['v1', 'x.io/v1', 'x.io/v1beta1', 'x.io/v2alpha1', 'y.io/v2', 'y.io/v1']);
    expect(names('v1')).toEqual(['pods', 'nodes']);
    expect(names('x.io/v1')).toEqual(['widgets']);
    expect(names('x.io/v1beta1')).toEqual(['mice']);
    expect(names('x.io/v2alpha1')).toEqual(['cacti']);
    // y.io prefers v1 although v2 comes first; newthings exists only in v2.
    expect(names('y.io/v2')).toEqual(['newthings']);
    expect(names('y.io/v1')).toEqual(['things']);
  });

  it('filters to namespaced resources and drops lists left empty', () => {
    expect(filterResources(preferred, (_gv, r) => r.namespaced).map((l) => l.groupVersion)).toEqual(['v1', 'x.io/v1', 'x.io/v1beta1', 'y.io/v2', 'y.io/v1']);
  });
});

describe('the discovery walks over a legacy source', () => {
  // An in-memory DiscoverySource: a legacy server (no resources in groupsAndMaybeResources).
  function source(failing: Record<string, Error>, delayMs = 5) {
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: string[] = [];
    const d: DiscoverySource = {
      groupsAndMaybeResources: async () => ({ groups: { groups }, resources: undefined, failed: new Map() }),
      serverResourcesForGroupVersion: async (gv) => {
        calls.push(gv);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        inFlight--;
        if (failing[gv]) throw failing[gv];
        return byGv.get(gv) as APIResourceList;
      },
    };
    return { d, calls, max: () => maxInFlight };
  }

  it('reads every group-version, at most `concurrency` at once, in group order', async () => {
    const { d, calls, max } = source({});
    const result = await serverGroupsAndResources(d, { concurrency: 2 });
    expect(calls.sort()).toEqual(lists.map((l) => l.groupVersion).sort());
    expect(max()).toBe(2);
    expect(result.resources.map((l) => l.groupVersion)).toEqual(lists.map((l) => l.groupVersion));
  });

  it('collects failures into one error carrying the partial result, client-go message sorted by group-version', async () => {
    const { d } = source({ 'y.io/v2': new Error('the server is currently unable to handle the request'), 'x.io/v1beta1': new Error('boom') });
    const error = await serverGroupsAndResources(d).catch((e: unknown) => e);
    expect(GroupDiscoveryFailedError.isInstance(error)).toBe(true);
    const failure = error as GroupDiscoveryFailedError;
    expect(failure.message).toBe('unable to retrieve the complete list of server APIs: x.io/v1beta1: boom, y.io/v2: the server is currently unable to handle the request');
    expect([...failure.failed.keys()].sort()).toEqual(['x.io/v1beta1', 'y.io/v2']);
    expect(failure.groups).toEqual(groups);
    expect(failure.resources.map((l) => l.groupVersion)).toEqual(['v1', 'x.io/v1', 'x.io/v2alpha1', 'y.io/v1']);

    const preferred = (await serverPreferredResources(d).catch((e: unknown) => e)) as GroupDiscoveryFailedError;
    expect(preferred.resources.find((l) => l.groupVersion === 'x.io/v2alpha1')?.resources.map((r) => r.name)).toEqual(['mice', 'cacti']);
    const namespaced = (await serverPreferredNamespacedResources(d).catch((e: unknown) => e)) as GroupDiscoveryFailedError;
    expect(GroupDiscoveryFailedError.isInstance(namespaced)).toBe(true);
    expect(namespaced.resources.flatMap((l) => l.resources).every((r) => r.namespaced)).toBe(true);
  });

  it('stops with the abort reason when the signal aborts', async () => {
    const { d } = source({}, 50);
    const controller = new AbortController();
    const walk = serverGroupsAndResources(d, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(walk).rejects.toThrow('stop');
  });
});

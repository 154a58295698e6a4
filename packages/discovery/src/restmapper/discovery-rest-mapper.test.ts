import { describe, expect, it } from 'vitest';
import type { DiscoveryInterface, GroupsAndResources } from '../discovery-interface.ts';
import { AmbiguousResourceError } from '../errors/ambiguous-resource-error.ts';
import { NoKindMatchError } from '../errors/no-kind-match-error.ts';
import { NoResourceMatchError } from '../errors/no-resource-match-error.ts';
import type { APIGroup } from '../model/api-group.ts';
import type { APIResource } from '../model/api-resource.ts';
import { DeferredDiscoveryRESTMapper } from './deferred-discovery-rest-mapper.ts';
import { DiscoveryRESTMapper } from './discovery-rest-mapper.ts';
import { guessKindToResource } from './guess-kind-to-resource.ts';

const r = (name: string, kind: string, extra: Partial<APIResource> = {}): APIResource => ({ name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list'], ...extra });
const group = (name: string, versions: string[]): APIGroup => {
  const entries = versions.map((v) => ({ groupVersion: name ? `${name}/${v}` : v, version: v }));
  return { name, versions: entries, preferredVersion: entries[0] as APIGroup['versions'][number] };
};

// A small cluster: core, apps, events, storage, and two CRD groups sharing a short name.
const snapshot: GroupsAndResources = {
  groups: [group('', ['v1']), group('apps', ['v1']), group('events.k8s.io', ['v1']), group('storage.k8s.io', ['v1']), group('a.example.com', ['v2', 'v1']), group('b.example.com', ['v1'])],
  resources: [
    {
      groupVersion: 'v1',
      resources: [
        r('pods', 'Pod', { shortNames: ['po'], categories: ['all'] }),
        r('pods/status', 'Pod'),
        r('events', 'Event', { shortNames: ['ev'] }),
        r('nodes', 'Node', { namespaced: false, shortNames: ['no'] }),
        r('endpoints', 'Endpoints', { singularName: '' }),
      ],
    },
    { groupVersion: 'apps/v1', resources: [r('deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'] }), r('deployments/scale', 'Scale', { group: 'autoscaling', version: 'v1' })] },
    { groupVersion: 'events.k8s.io/v1', resources: [r('events', 'Event', { shortNames: ['ev'] })] },
    { groupVersion: 'storage.k8s.io/v1', resources: [r('storageclasses', 'StorageClass', { namespaced: false, shortNames: ['sc'] })] },
    {
      groupVersion: 'a.example.com/v2',
      resources: [r('widgets', 'Widget', { shortNames: ['dup'], categories: ['all', 'fx'] }), r('foo', 'Foo', { singularName: 'bar' }), r('bar', 'Bar', { singularName: 'b' })],
    },
    { groupVersion: 'a.example.com/v1', resources: [r('widgets', 'Widget', { shortNames: ['dup'], categories: ['all', 'fx'] }), r('mice', 'Mouse', { singularName: 'mouse' })] },
    { groupVersion: 'b.example.com/v1', resources: [r('gadgets', 'Gadget', { shortNames: ['dup', 'pods'], categories: ['fx'] }), r('clusters', 'DatabaseCluster', { singularName: 'cluster' })] },
  ],
};

describe('DiscoveryRESTMapper', () => {
  const warnings: string[] = [];
  const mapper = new DiscoveryRESTMapper(snapshot, { warningHandler: (w) => warnings.push(w) });
  const any = (resource: string, group = '', version = '') => ({ group, version, resource });

  it('resolves plural, singular, kind (any case), short name and partial specs like kubectl', () => {
    const gvr = (arg: string) => {
      const m = mapper.mappingFor(arg);
      return `${m.resource.resource}.${m.resource.version}.${m.resource.group}`;
    };
    expect(gvr('pods')).toBe('pods.v1.');
    expect(gvr('pod')).toBe('pods.v1.');
    expect(gvr('Pod')).toBe('pods.v1.');
    expect(gvr('PODS')).toBe('pods.v1.');
    expect(gvr('po')).toBe('pods.v1.');
    expect(gvr('deploy')).toBe('deployments.v1.apps');
    expect(gvr('deployments.apps')).toBe('deployments.v1.apps');
    expect(gvr('deploy.v1.apps')).toBe('deployments.v1.apps');
    expect(gvr('Deployment.v1.apps')).toBe('deployments.v1.apps');
    expect(gvr('Deployment.apps')).toBe('deployments.v1.apps');
    expect(gvr('storageclass.storage')).toBe('storageclasses.v1.storage.k8s.io');
    expect(gvr('sc.storage')).toBe('storageclasses.v1.storage.k8s.io');
    expect(gvr('widgets')).toBe('widgets.v2.a.example.com');
    expect(gvr('widgets.v1.a.example.com')).toBe('widgets.v1.a.example.com');
    expect(gvr('mouse')).toBe('mice.v1.a.example.com');
    expect(gvr('endpoints')).toBe('endpoints.v1.');
    // A kind whose singular is not the lowercased kind resolves only with a group (kubectl too).
    expect(gvr('DatabaseCluster.v1.b.example.com')).toBe('clusters.v1.b.example.com');
    expect(() => mapper.mappingFor('DatabaseCluster')).toThrow(`the server doesn't have a resource type "DatabaseCluster"`);
  });

  it('puts core v1 first: events is core, events.events.k8s.io the other', () => {
    expect(mapper.resourceFor(any('events'))).toEqual({ group: '', version: 'v1', resource: 'events' });
    expect(mapper.resourcesFor(any('ev')).map((x) => x.group)).toEqual(['', 'events.k8s.io']);
    expect(mapper.resourceFor(any('events', 'events.k8s.io'))).toEqual({ group: 'events.k8s.io', version: 'v1', resource: 'events' });
  });

  it('takes the first of colliding short names and warns about the others, once each', () => {
    warnings.length = 0;
    expect(mapper.resourceFor(any('dup'))).toEqual({ group: 'a.example.com', version: 'v2', resource: 'widgets' });
    expect(warnings).toEqual(['short name "dup" could also match lower priority resource gadgets.b.example.com']);
    expect(mapper.resourceFor(any('dup', 'b.example.com'))).toEqual({ group: 'b.example.com', version: 'v1', resource: 'gadgets' });
  });

  it('never lets a short name shadow a real resource name', () => {
    expect(mapper.resourceFor(any('pods'))).toEqual({ group: '', version: 'v1', resource: 'pods' });
  });

  it('reports ambiguity with every candidate when priority cannot choose', () => {
    const error = (() => {
      try {
        mapper.resourceFor(any('bar'));
      } catch (e) {
        return e;
      }
    })();
    expect(AmbiguousResourceError.isInstance(error)).toBe(true);
    expect((error as AmbiguousResourceError).matchingResources).toEqual([
      { group: 'a.example.com', version: 'v2', resource: 'bar' },
      { group: 'a.example.com', version: 'v2', resource: 'foo' },
    ]);
    expect((error as Error).message).toBe('/, Resource=bar matches multiple resources [a.example.com/v2, Resource=bar; a.example.com/v2, Resource=foo]');
  });

  it('maps kinds to resources with scope, case-insensitively, preferred version first', () => {
    expect(mapper.restMapping({ group: '', kind: 'node' })).toEqual({
      resource: { group: '', version: 'v1', resource: 'nodes' },
      groupVersionKind: { group: '', version: 'v1', kind: 'Node' },
      scope: 'root',
    });
    expect(mapper.restMapping({ group: 'a.example.com', kind: 'WIDGET' }).resource.version).toBe('v2');
    expect(mapper.restMapping({ group: 'a.example.com', kind: 'Widget' }, 'v1').resource.version).toBe('v1');
    expect(mapper.restMappings({ group: 'a.example.com', kind: 'Widget' }).map((m) => m.resource.version)).toEqual(['v2', 'v1']);
    expect(() => mapper.restMapping({ group: 'a.example.com', kind: 'Nope' })).toThrow(NoKindMatchError);
    expect(() => mapper.restMapping({ group: 'a.example.com', kind: 'Widget' }, 'v9')).toThrow('no matches for kind "Widget" in version "a.example.com/v9"');
    expect(() => mapper.restMapping({ group: 'x.io', kind: 'Thing' })).toThrow('no matches for kind "Thing" in group "x.io"');
  });

  it('maps resources to kinds; subresources are not resources; List kinds are guessed as client-go does', () => {
    expect(mapper.kindFor(any('deploy'))).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(() => mapper.kindFor(any('deployments/scale'))).toThrow(NoResourceMatchError);
    expect(mapper.kindFor(any('deploymentlists'))).toEqual({ group: 'apps', version: 'v1', kind: 'DeploymentList' });
    expect(mapper.resourceSingularizer('mice')).toBe('mouse');
    expect(mapper.resourceSingularizer('po')).toBe('pod');
  });

  it('expands categories in discovery order, each group-resource once', () => {
    expect(mapper.expandCategory('all')).toEqual([
      { group: '', resource: 'pods' },
      { group: 'apps', resource: 'deployments' },
      { group: 'a.example.com', resource: 'widgets' },
    ]);
    expect(mapper.expandCategory('fx')?.map((x) => x.resource)).toEqual(['widgets', 'gadgets']);
    expect(mapper.expandCategory('none')).toBeUndefined();
  });
});

describe('guessKindToResource', () => {
  it('follows apimachinery’s English rules', () => {
    const plural = (kind: string) => guessKindToResource(kind).plural;
    expect(['Pod', 'Endpoints', 'Ingress', 'Box', 'Patch', 'Mesh', 'Quiz', 'Policy', 'Gateway', 'Key', 'Guy', 'Toy'].map(plural)).toEqual([
      'pods', 'endpoints', 'ingresses', 'boxes', 'patches', 'meshes', 'quizes', 'policies', 'gateways', 'keys', 'guys', 'toys',
    ]);
  });
});

describe('DeferredDiscoveryRESTMapper', () => {
  function discovery(snapshots: GroupsAndResources[], fresh = true) {
    let reads = 0;
    let invalidations = 0;
    const d = {
      serverGroupsAndResources: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return snapshots[Math.min(reads++, snapshots.length - 1)] as GroupsAndResources;
      },
      fresh: () => fresh,
      invalidate: () => void invalidations++,
    } as unknown as DiscoveryInterface;
    return { d, reads: () => reads, invalidations: () => invalidations };
  }
  const withThing: GroupsAndResources = {
    groups: [...snapshot.groups, group('late.example.com', ['v1'])],
    resources: [...snapshot.resources, { groupVersion: 'late.example.com/v1', resources: [r('things', 'Thing')] }],
  };

  it('reads once for concurrent callers, and re-reads once on a miss when its snapshot is old enough', async () => {
    const { d, reads, invalidations } = discovery([snapshot, withThing]);
    let clock = 0;
    const mapper = new DeferredDiscoveryRESTMapper(d, { minRereadIntervalMs: 30, now: () => clock });
    await Promise.all([mapper.mappingFor('po'), mapper.mappingFor('deploy'), mapper.kindFor({ group: '', version: '', resource: 'nodes' })]);
    expect(reads()).toBe(1);
    // Just read: a miss does not re-read (the same server would say the same).
    await expect(mapper.mappingFor('things')).rejects.toThrow(`the server doesn't have a resource type "things"`);
    expect(reads()).toBe(1);
    clock += 40;
    expect((await mapper.mappingFor('things')).resource).toEqual({ group: 'late.example.com', version: 'v1', resource: 'things' });
    expect(reads()).toBe(2);
    expect(invalidations()).toBe(1);
  });

  it('re-reads at once when the discovery it read was not fresh (a cache’s old files, as client-go)', async () => {
    const { d, reads } = discovery([snapshot, withThing], false);
    const mapper = new DeferredDiscoveryRESTMapper(d, { minRereadIntervalMs: 60_000 });
    expect((await mapper.restMapping({ group: 'late.example.com', kind: 'Thing' })).resource.resource).toBe('things');
    expect(reads()).toBe(2);
  });
});

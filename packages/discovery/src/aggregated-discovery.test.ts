import { describe, expect, it } from 'vitest';
import { ACCEPT_DISCOVERY, apiVersionsToAPIGroup, discoveryFormat, splitGroupsAndResources } from './aggregated-discovery.ts';
import { StaleGroupVersionError } from './errors/stale-group-version-error.ts';

describe('discoveryFormat', () => {
  it('reads the aggregated media type whatever the parameter order, case and spacing', () => {
    expect(discoveryFormat('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe('v2');
    expect(discoveryFormat('application/json; as=APIGroupDiscoveryList; v=v2beta1; g=apidiscovery.k8s.io')).toBe('v2beta1');
    expect(discoveryFormat('Application/JSON;G=apidiscovery.k8s.io;V=v2;AS=APIGroupDiscoveryList')).toBe('v2');
  });

  it('treats anything else as the legacy documents', () => {
    expect(discoveryFormat('application/json')).toBe('legacy');
    expect(discoveryFormat('')).toBe('legacy');
    expect(discoveryFormat('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList')).toBe('legacy');
    expect(discoveryFormat('application/json;g=other.io;v=v2;as=APIGroupDiscoveryList')).toBe('legacy');
    expect(discoveryFormat('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe('legacy');
  });

  it('asks for v2, then v2beta1, then the legacy JSON (client-go order)', () => {
    expect(ACCEPT_DISCOVERY.split(',').map((t) => discoveryFormat(t))).toEqual(['v2', 'v2beta1', 'legacy']);
  });
});

describe('splitGroupsAndResources', () => {
  const gvk = (group: string, version: string, kind: string) => ({ group, version, kind });
  const split = splitGroupsAndResources({
    items: [
      {
        metadata: { name: 'apps' },
        versions: [
          {
            version: 'v1',
            resources: [
              {
                resource: 'deployments',
                responseKind: gvk('apps', 'v1', 'Deployment'),
                scope: 'Namespaced',
                singularResource: 'deployment',
                verbs: ['get', 'list'],
                shortNames: ['deploy'],
                categories: ['all'],
                subresources: [
                  { subresource: 'scale', responseKind: gvk('autoscaling', 'v1', 'Scale'), verbs: ['get', 'patch'] },
                  { subresource: 'nokind', verbs: ['get'] },
                ],
              },
              // No responseKind: dropped, but its subresources are kept (client-go).
              { resource: 'broken', scope: 'Cluster', singularResource: 'broken', verbs: ['get'], subresources: [{ subresource: 'status', responseKind: gvk('apps', 'v1', 'Broken'), verbs: ['get'] }] },
            ],
          },
        ],
      },
      {
        metadata: { name: 'metrics.example.com' },
        versions: [
          { version: 'v2', freshness: 'Stale', resources: [] },
          { version: 'v1', freshness: 'Current', resources: [] },
        ],
      },
    ],
  });

  it('turns each version into a resource list, subresources as <resource>/<sub> with their own kind', () => {
    expect(split.resources.get('apps/v1')).toEqual({
      groupVersion: 'apps/v1',
      resources: [
        { name: 'deployments', singularName: 'deployment', namespaced: true, group: 'apps', version: 'v1', kind: 'Deployment', verbs: ['get', 'list'], shortNames: ['deploy'], categories: ['all'] },
        { name: 'deployments/scale', singularName: 'deployment', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch'] },
        { name: 'broken/status', singularName: 'broken', namespaced: false, group: 'apps', version: 'v1', kind: 'Broken', verbs: ['get'] },
      ],
    });
  });

  it('reports stale versions as failed and prefers the first fresh version', () => {
    const metrics = split.groups.find((g) => g.name === 'metrics.example.com');
    expect(metrics?.versions).toEqual([{ groupVersion: 'metrics.example.com/v1', version: 'v1' }]);
    expect(metrics?.preferredVersion).toEqual({ groupVersion: 'metrics.example.com/v1', version: 'v1' });
    const failure = split.failed.get('metrics.example.com/v2');
    expect(StaleGroupVersionError.isInstance(failure)).toBe(true);
    expect(failure?.message).toBe('stale GroupVersion discovery: metrics.example.com/v2');
    expect(split.resources.has('metrics.example.com/v2')).toBe(false);
    expect([...split.resources.keys()]).toEqual(['apps/v1', 'metrics.example.com/v1']);
  });

  it('makes the core group from the legacy /api document', () => {
    expect(apiVersionsToAPIGroup({ versions: ['v1'] })).toEqual({ name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } });
    expect(apiVersionsToAPIGroup({ versions: [] })).toEqual({ name: '', versions: [] });
  });
});

import type { APIResource } from '@kgo/discovery';
import { describe, expect, it } from 'vitest';
import { apiResourcesTable } from './discovery-api-resources.ts';

const resource = (name: string, kind: string, extra: Partial<APIResource> = {}): APIResource => ({
  name,
  singularName: '',
  namespaced: true,
  kind,
  verbs: ['get'],
  ...extra,
});

describe('apiResourcesTable', () => {
  it('sorts by group then name as kubectl does, keeps version order within a group and leaves out subresources', () => {
    const table = apiResourcesTable({
      groups: [],
      resources: [
        { groupVersion: 'v1', resources: [resource('pods', 'Pod', { shortNames: ['po'] }), resource('pods/log', 'Pod'), resource('nodes', 'Node', { namespaced: false, shortNames: ['no'] })] },
        { groupVersion: 'autoscaling/v2', resources: [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler')] },
        { groupVersion: 'apps/v1', resources: [resource('deployments', 'Deployment', { shortNames: ['deploy'] }), resource('deployments/scale', 'Scale')] },
        { groupVersion: 'autoscaling/v1', resources: [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler')] },
        { groupVersion: 'Zeta.example/v1', resources: [resource('things', 'Thing', { shortNames: ['th', 'tg'] })] },
      ],
    });
    expect(table.headers).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(table.rows).toEqual([
      ['nodes', 'no', 'v1', 'false', 'Node'],
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['things', 'th,tg', 'Zeta.example/v1', 'true', 'Thing'], // byte order: upper case first
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['horizontalpodautoscalers', '', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler'],
      ['horizontalpodautoscalers', '', 'autoscaling/v1', 'true', 'HorizontalPodAutoscaler'],
    ]);
  });
});

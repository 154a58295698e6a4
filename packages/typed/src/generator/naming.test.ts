import { describe, expect, it } from 'vitest';
import { docComment, groupAccessor, lowerFirst, propertyKey, resourceAccessor } from './naming.ts';

describe('generated names', () => {
  it.each([
    ['configmaps', 'ConfigMap', 'configMaps'],
    ['networkpolicies', 'NetworkPolicy', 'networkPolicies'],
    ['ingresses', 'Ingress', 'ingresses'],
    ['endpoints', 'Endpoints', 'endpoints'],
    ['csidrivers', 'CSIDriver', 'csiDrivers'],
    ['apiservices', 'APIService', 'apiServices'],
    ['horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'horizontalPodAutoscalers'],
    ['pods', 'Pod', 'pods'],
  ])('%s of %s is reached as %s() (client-go casing)', (plural, kind, accessor) => {
    expect(resourceAccessor(plural, kind)).toBe(accessor);
  });

  it('lower-cases a leading acronym as a word', () => {
    expect(lowerFirst('IPAddress')).toBe('ipAddress');
    expect(lowerFirst('CSI')).toBe('csi');
    expect(lowerFirst('Pod')).toBe('pod');
  });

  it('names group clients and quotes keys that are not identifiers', () => {
    expect(groupAccessor('core/v1')).toBe('coreV1');
    expect(groupAccessor('autoscaling/v2')).toBe('autoscalingV2');
    expect(groupAccessor('gen.kgo.example/v1beta1')).toBe('genKgoExampleV1beta1');
    expect(propertyKey('x-kubernetes-list-type')).toBe('"x-kubernetes-list-type"');
    expect(propertyKey('$ref')).toBe('$ref');
  });

  it('keeps a description from closing its comment early', () => {
    expect(docComment(['matches */* and more'])).toBe('/**\n * matches *\\/* and more\n */\n');
    expect(docComment([undefined, ''])).toBe('');
  });
});

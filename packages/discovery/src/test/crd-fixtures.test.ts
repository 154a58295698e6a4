import { describe, expect, it } from 'vitest';
import { crdFixtureSpecs, crdFixtures, FIXTURE_LABEL } from './crd-fixtures.ts';

describe('crdFixtures', () => {
  const specs = crdFixtureSpecs();
  const crds = crdFixtures();

  it('has at least 60 CRDs in at least 30 groups, each name unique', () => {
    expect(crds.length).toBeGreaterThanOrEqual(60);
    expect(new Set(crds.map((crd) => crd.spec.group)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(crds.map((crd) => crd.metadata.name)).size).toBe(crds.length);
    for (const crd of crds) {
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
      expect(crd.metadata.labels[FIXTURE_LABEL]).toBe('disc');
      expect(crd.spec.versions.filter((v) => v.storage)).toHaveLength(1);
    }
  });

  it('covers the cases discovery and the RESTMapper must handle', () => {
    const scopes = new Set(specs.map((spec) => spec.scope));
    expect(scopes).toEqual(new Set(['Namespaced', 'Cluster']));
    expect(specs.some((spec) => spec.versions.some((v) => !v.served))).toBe(true);
    expect(specs.some((spec) => spec.versions.some((v) => v.deprecated))).toBe(true);
    expect(specs.filter((spec) => spec.versions.length > 1).length).toBeGreaterThanOrEqual(3);
    expect(specs.filter((spec) => spec.categories.includes('all')).length).toBeGreaterThanOrEqual(3);
    expect(specs.some((spec) => spec.kind === 'Deployment')).toBe(true);
    const shortNames = specs.flatMap((spec) => spec.shortNames);
    expect(shortNames.length - new Set(shortNames).size).toBe(1);
    expect(specs.some((spec) => spec.plural === 'discmice' && spec.singular === 'discmouse')).toBe(true);
    expect(specs.some((spec) => spec.singular !== spec.kind.toLowerCase() && spec.singular !== '')).toBe(true);
  });

  it('keeps suites apart: groups and typed names carry the suite token', () => {
    const other = crdFixtureSpecs({ suite: 'cache' });
    const mine = new Set(specs.flatMap((spec) => [spec.group, spec.plural, spec.singular, ...spec.shortNames]));
    const overlap = other.flatMap((spec) => [spec.group, spec.plural, spec.singular, ...spec.shortNames]).filter((name) => mine.has(name));
    expect(overlap.sort()).toEqual(['configmap', 'configmaps', 'deployment', 'deployments']);
    expect(() => crdFixtureSpecs({ suite: 'Bad-Suite' })).toThrow(/2 to 8 lowercase letters/);
  });
});

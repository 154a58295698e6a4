/*
 * A deterministic set of CustomResourceDefinitions that exercises discovery and the RESTMapper:
 * 64 CRDs in 32 groups, namespaced and cluster-scoped, several versions (one unserved, one
 * deprecated), short names and categories (`all` among them), a kind that is also a built-in
 * (`Deployment`), two CRDs whose short names collide, irregular plurals, a singular that is not
 * the lowercased kind, and status/scale subresources.
 *
 * Every group ends in `.<suite>.kgo.test` and every name a user types (plural, singular, short
 * name, kind) starts with the suite token — except the built-in look-alike — so suites that share
 * one API server (CI runs every package against one control plane) never change how each other's
 * names resolve.
 */

/** One version of a fixture CRD. */
export interface FixtureVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
}

/** What the generator decided for one CRD, before it is written as a CRD object. */
export interface FixtureSpec {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  scope: 'Namespaced' | 'Cluster';
  versions: FixtureVersion[];
  shortNames: string[];
  categories: string[];
  subresources: { status?: boolean; scale?: boolean };
}

/** A CustomResourceDefinition (apiextensions.k8s.io/v1) as sent to the server. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      deprecated?: boolean;
      deprecationWarning?: string;
      schema: { openAPIV3Schema: Record<string, unknown> };
      subresources?: { status?: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string } };
    }[];
  };
}

/** Options of {@link crdFixtureSpecs}. */
export interface CrdFixtureOptions {
  /**
   * A lowercase token (letters, 2–8) unique to the test suite: groups end in `.<suite>.kgo.test`
   * and user-facing names start with it. Default `disc`.
   */
  suite?: string;
}

/** The label every fixture CRD carries, valued with its suite token (for clean-up by selector). */
export const FIXTURE_LABEL = 'kgo.test/fixture-suite';

const GROUP_WORDS = [
  'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike',
  'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray', 'yankee',
  'zulu', 'amber', 'basalt', 'cobalt', 'dune', 'ember', 'flint',
];

// Regular nouns: the plural is the noun + "s", the singular the lowercased kind.
const NOUNS = [
  'Widget', 'Gizmo', 'Sprocket', 'Lever', 'Valve', 'Piston', 'Bolt', 'Rivet', 'Spring', 'Gear', 'Pulley', 'Crank',
  'Axle', 'Bearing', 'Hinge', 'Latch', 'Socket', 'Cable', 'Relay', 'Sensor', 'Beacon', 'Anchor', 'Bucket', 'Funnel',
  'Ladder', 'Magnet', 'Nozzle', 'Paddle', 'Quill', 'Ribbon', 'Saddle', 'Tablet', 'Tunnel', 'Vessel', 'Wagon', 'Kettle',
  'Lantern', 'Mirror', 'Needle', 'Pillar', 'Rocket', 'Shovel', 'Tether', 'Timber', 'Trowel', 'Turret', 'Wand',
  'Whistle', 'Zipper', 'Basket', 'Candle', 'Dagger', 'Feather', 'Goblet',
];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checkSuite(suite: string): string {
  if (!/^[a-z]{2,8}$/.test(suite)) throw new TypeError(`suite ${JSON.stringify(suite)} must be 2 to 8 lowercase letters`);
  return suite;
}

const served = (name: string, storage = false): FixtureVersion => ({ name, served: true, storage });

/**
 * The fixture set for a suite: 64 CRD specs in 32 groups (pure, deterministic). Use
 * {@link crdFixtures} for the CRD objects.
 */
export function crdFixtureSpecs(options: CrdFixtureOptions = {}): FixtureSpec[] {
  const s = checkSuite(options.suite ?? 'disc');
  const S = capitalize(s);
  const group = (word: string) => `${word}.${s}.kgo.test`;
  const specs: FixtureSpec[] = [];
  const add = (spec: Partial<FixtureSpec> & Pick<FixtureSpec, 'group' | 'kind' | 'plural' | 'singular'>) =>
    specs.push({ scope: 'Namespaced', versions: [served('v1', true)], shortNames: [], categories: [], subresources: {}, ...spec });

  // Versions: v1 stored, v1beta1 served, v1alpha1 not served (never in discovery).
  add({
    group: group('alpha'), kind: `${S}Widget`, plural: `${s}widgets`, singular: `${s}widget`, shortNames: [`${s}wd`],
    categories: ['all', `${s}-fixtures`], subresources: { status: true, scale: true },
    versions: [served('v1', true), served('v1beta1'), { name: 'v1alpha1', served: false, storage: false }],
  });
  // Deprecated version: v1 served but deprecated, v2 stored.
  add({
    group: group('alpha'), kind: `${S}Gadget`, plural: `${s}gadgets`, singular: `${s}gadget`, scope: 'Cluster',
    versions: [served('v2', true), { name: 'v1', served: true, storage: false, deprecated: true }],
    categories: [`${s}-fixtures`],
  });
  // A group whose CRDs serve different versions: preferred is v1, but Mouse exists only in v1beta1.
  add({ group: group('bravo'), kind: `${S}Ledger`, plural: `${s}ledgers`, singular: `${s}ledger`, versions: [served('v1', true), served('v2alpha1')] });
  add({
    group: group('bravo'), kind: `${S}Mouse`, plural: `${s}mice`, singular: `${s}mouse`, versions: [served('v1beta1', true)],
    shortNames: [`${s}ms`], categories: ['all'],
  });
  // A kind that is also a built-in (apps/v1 Deployment), and one like core's ConfigMap.
  add({ group: group('charlie'), kind: 'Deployment', plural: 'deployments', singular: 'deployment', subresources: { status: true } });
  add({ group: group('charlie'), kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', scope: 'Cluster' });
  // Two CRDs in different groups with the same short name.
  add({ group: group('delta'), kind: `${S}Falcon`, plural: `${s}falcons`, singular: `${s}falcon`, shortNames: [`${s}dup`, `${s}fa`] });
  add({ group: group('echo'), kind: `${S}Ferret`, plural: `${s}ferrets`, singular: `${s}ferret`, shortNames: [`${s}dup`], scope: 'Cluster' });
  // Irregular plurals, and a singular that is not the lowercased kind.
  add({ group: group('delta'), kind: `${S}Person`, plural: `${s}people`, singular: `${s}person`, categories: ['all'] });
  add({ group: group('echo'), kind: `${S}Cactus`, plural: `${s}cacti`, singular: `${s}cactus`, shortNames: [`${s}cac`] });
  add({ group: group('foxtrot'), kind: `${S}Index`, plural: `${s}indices`, singular: `${s}index`, scope: 'Cluster' });
  add({ group: group('foxtrot'), kind: `${S}Child`, plural: `${s}children`, singular: `${s}child`, categories: [`${s}-fixtures`] });
  add({ group: group('golf'), kind: `${S}Sheep`, plural: `${s}sheep`, singular: `${s}sheep`, shortNames: [`${s}sh`] });
  add({ group: group('golf'), kind: `${S}Policy`, plural: `${s}policies`, singular: `${s}policy`, scope: 'Cluster', categories: ['all'] });
  add({ group: group('hotel'), kind: `${S}DatabaseCluster`, plural: `${s}dbclusters`, singular: `${s}dbcluster`, shortNames: [`${s}dbc`] });
  add({ group: group('hotel'), kind: `${S}Status`, plural: `${s}statuses`, singular: `${s}status`, subresources: { status: true } });

  // The rest: regular nouns, two per group, every third cluster-scoped, some with short names and categories.
  let noun = 0;
  for (const word of GROUP_WORDS.slice(8)) {
    for (let i = 0; i < 2; i++, noun++) {
      const name = NOUNS[noun % NOUNS.length] as string;
      const lower = name.toLowerCase();
      add({
        group: group(word),
        kind: `${S}${name}`,
        plural: `${s}${lower}s`,
        singular: `${s}${lower}`,
        scope: noun % 3 === 2 ? 'Cluster' : 'Namespaced',
        shortNames: noun % 4 === 0 ? [`${s}${lower.slice(0, 3)}${noun}`] : [],
        categories: noun % 5 === 0 ? ['all', `${s}-fixtures`] : noun % 7 === 0 ? [`${s}-fixtures`] : [],
        versions: noun % 6 === 1 ? [served('v1', true), served('v1beta1')] : [served('v1', true)],
        subresources: noun % 8 === 3 ? { status: true } : {},
      });
    }
  }
  return specs;
}

/** The CRD object for one spec (permissive schema; a deprecated version carries a warning). */
export function crdFor(spec: FixtureSpec, suite: string): CustomResourceDefinition {
  const names: CustomResourceDefinition['spec']['names'] = { kind: spec.kind, listKind: `${spec.kind}List`, plural: spec.plural, singular: spec.singular };
  if (spec.shortNames.length > 0) names.shortNames = spec.shortNames;
  if (spec.categories.length > 0) names.categories = spec.categories;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${spec.plural}.${spec.group}`, labels: { [FIXTURE_LABEL]: suite } },
    spec: {
      group: spec.group,
      scope: spec.scope,
      names,
      versions: spec.versions.map((version) => ({
        name: version.name,
        served: version.served,
        storage: version.storage,
        ...(version.deprecated ? { deprecated: true, deprecationWarning: `${spec.group}/${version.name} ${spec.kind} is deprecated` } : {}),
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { replicas: { type: 'integer' } } },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { replicas: { type: 'integer' } } },
            },
          },
        },
        ...(spec.subresources.status || spec.subresources.scale
          ? {
              subresources: {
                ...(spec.subresources.status ? { status: {} } : {}),
                ...(spec.subresources.scale ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } : {}),
              },
            }
          : {}),
      })),
    },
  };
}

/** The fixture CRDs of a suite, ready to create (see {@link installCrdFixtures}). */
export function crdFixtures(options: CrdFixtureOptions = {}): CustomResourceDefinition[] {
  const suite = checkSuite(options.suite ?? 'disc');
  return crdFixtureSpecs({ suite }).map((spec) => crdFor(spec, suite));
}

/*
 * Test helpers of @kgo/discovery (the `@kgo/discovery/test` entry), for this package's tests and
 * for packages that test discovery consumers (@kgo/discovery-cache): the CRD fixture set and its
 * installer. Not part of the main entry.
 */
export {
  type CrdFixtureOptions,
  type CustomResourceDefinition,
  crdFixtureSpecs,
  crdFixtures,
  crdFor,
  FIXTURE_LABEL,
  type FixtureSpec,
  type FixtureVersion,
} from './crd-fixtures.ts';
export { deleteCrdFixtures, type InstallOptions, installCrdFixtures } from './install-crd-fixtures.ts';
export { type CountingProxy, isDiscoveryPath, type ProxiedRequest, startCountingProxy, type UpstreamServer } from './counting-proxy.ts';
export { type ApiResourceRow, KUBECTL, kubectl, type KubectlOptions, type KubectlResult, parseApiResources, plainKubeconfig } from './kubectl.ts';

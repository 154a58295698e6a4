/**
 * `@kgo/typed`: typed clients for every built-in resource, generated from the API server's
 * OpenAPI. The root holds the runtime only; each group-version is its own subpath
 * (`@kgo/typed/core/v1`, `@kgo/typed/apps/v1`, …), and `@kgo/typed/all` has every group.
 *
 * @packageDocumentation
 */
export type { ApplyConfiguration, DeepPartial } from './runtime/apply-configuration.ts';
export { type ClientSet, createClientSet, type GroupClientFactory, type GroupClientOptions } from './runtime/client-set.ts';
export { type ApplyOptions, ResourceClient, type ResourceDescriptor } from './runtime/resource-client.ts';
export { formatApiVersion, parseApiVersion } from '@kgo/rest';

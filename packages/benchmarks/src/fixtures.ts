import { randomBytes } from 'node:crypto';
import { isAlreadyExists, isNotFound, RestClient, type RestConfig } from '@kgo/rest';
import type { BenchConnection } from './cluster.ts';
import { podsNamespace } from './pod-fixtures.ts';

/** Namespace with the one small ConfigMap of the GET scenario. */
export const GET_NAMESPACE = 'kgo-bench-get';
export const GET_NAME = 'small';
/** Namespace with the 5,000 ConfigMaps of the LIST scenario, and nothing else. */
export const LIST_NAMESPACE = 'kgo-bench-list';
/** Namespace the create scenario creates in (and empties after each run). */
export const CREATE_NAMESPACE = 'kgo-bench-create';
/** Namespace of the watch scenario's ConfigMaps. */
export const WATCH_NAMESPACE = 'kgo-bench-watch';

/** Namespace of the informer scenario's ConfigMaps (10,000; another count gets `-<n>`). */
export const INFORMER_NAMESPACE = 'kgo-bench-informer';

/** The informer namespace for `items` ConfigMaps: another count (quick mode) gets a namespace of its own. */
export function informerNamespace(items: number): string {
  return items === 10_000 ? INFORMER_NAMESPACE : `${INFORMER_NAMESPACE}-${items}`;
}

/** The LIST namespace for `items` ConfigMaps: another count (quick mode) gets a namespace of its own. */
export function listNamespace(items: number): string {
  return items === 5000 ? LIST_NAMESPACE : `${LIST_NAMESPACE}-${items}`;
}

export interface FixtureReport {
  listItems: number;
  /** Bytes of the `data` of each listed ConfigMap. */
  dataBytesPerItem: number;
  /** Size of the uncompressed LIST response body. */
  listResponseBytes: number;
  /** How many ConfigMaps this run created (0 when a previous run's are reused). */
  created: number;
  createMs: number;
}

/** A core/v1 RestClient as the admin, rate limiting off: for fixtures, never measured. */
export function adminClient(connection: BenchConnection): RestClient {
  const config: RestConfig = {
    host: connection.server,
    tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key },
    qps: -1,
  };
  return new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
}

async function createTolerant(client: RestClient, body: object, namespace?: string): Promise<boolean> {
  const request = client.post();
  if (namespace) request.namespace(namespace).resource('configmaps');
  else request.resource('namespaces');
  try {
    await request.body(body).do();
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}

/** ~`bytes` of incompressible-ish text (base64 of random bytes), as real config data tends to be. */
function payload(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .slice(0, bytes);
}

/** Creates a namespace unless it exists. */
export async function ensureNamespace(client: RestClient, name: string): Promise<void> {
  await createTolerant(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * Creates the namespaces, the small ConfigMap and `items` ConfigMaps of ~`dataBytes` each in
 * {@link listNamespace} (concurrency 32 with kgo, rate limit off). Objects left by an earlier run
 * are reused. With `items` 0, only the GET fixture is made.
 */
export async function createFixtures(connection: BenchConnection, items: number, dataBytes: number, log: (line: string) => void): Promise<FixtureReport> {
  const client = adminClient(connection);
  try {
    const namespace = listNamespace(items);
    for (const name of [GET_NAMESPACE, ...(items > 0 ? [namespace] : []), CREATE_NAMESPACE, WATCH_NAMESPACE]) await ensureNamespace(client, name);
    await createTolerant(
      client,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: GET_NAME }, data: { mode: 'on', level: 'info', feature: 'enabled' } },
      GET_NAMESPACE,
    );

    if (items === 0) return { listItems: 0, dataBytesPerItem: 0, listResponseBytes: 0, created: 0, createMs: 0 };
    const { created, createMs, dataBytesPerItem } = await createConfigMaps(client, namespace, items, dataBytes, log);
    // Ask once without gzip for the true body size.
    const identity = new RestClient(
      { host: connection.server, tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key }, qps: -1, disableCompression: true },
      { groupVersion: { group: '', version: 'v1' } },
    );
    const plain = await identity.get().namespace(namespace).resource('configmaps').do();
    await identity.close();
    return { listItems: items, dataBytesPerItem, listResponseBytes: plain.body.length, created, createMs };
  } finally {
    await client.close();
  }
}

/**
 * Creates ConfigMaps `cm-00000`… in `namespace` (which must exist) until it holds `items` of them,
 * each with ~`dataBytes` of random data in four keys (concurrency 32, rate limit off); objects an
 * earlier run left are reused. Throws unless the namespace then holds exactly `items`.
 */
export async function createConfigMaps(
  client: RestClient,
  namespace: string,
  items: number,
  dataBytes: number,
  log: (line: string) => void,
): Promise<{ created: number; createMs: number; dataBytesPerItem: number }> {
  const started = performance.now();
  let next = 0;
  let created = 0;
  // Four keys, like a small application config; each ConfigMap gets its own random data.
  const keyBytes = Math.floor(dataBytes / 4);
  const worker = async () => {
    while (next < items) {
      const index = next++;
      const name = `cm-${String(index).padStart(5, '0')}`;
      const data = { 'app.properties': payload(keyBytes), 'log.yaml': payload(keyBytes), 'feature-flags': payload(keyBytes), 'ca.pem': payload(keyBytes) };
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'kgo-bench', shard: String(index % 10) } }, data };
      if (await createTolerant(client, body, namespace)) created++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const createMs = performance.now() - started;
  if (created > 0) log(`created ${created} ConfigMaps in ${namespace} in ${(createMs / 1000).toFixed(1)} s (${Math.round((created / createMs) * 1000)}/s)`);
  const list = await client.get().namespace(namespace).resource('configmaps').do();
  const count = list.into<{ items: unknown[] }>().items.length;
  if (count !== items) {
    throw new Error(`${namespace} holds ${count} ConfigMaps, expected ${items}: delete the namespace's ConfigMaps (or use a fresh cluster) and run again`);
  }
  return { created, createMs, dataBytesPerItem: keyBytes * 4 };
}

/** Removes the fixtures (for clusters this run did not start): the ConfigMaps and Pods, then the namespaces. */
export async function deleteFixtures(connection: BenchConnection, items = 5000, informerItems = 10_000, podItems = 2000, watchEvents = 10_000): Promise<void> {
  const client = adminClient(connection);
  try {
    const namespaces = new Set([GET_NAMESPACE, listNamespace(items), CREATE_NAMESPACE, WATCH_NAMESPACE, informerNamespace(informerItems), informerNamespace(watchEvents), podsNamespace(podItems)]);
    for (const namespace of namespaces) {
      for (const resource of ['configmaps', 'pods']) {
        await client.delete().namespace(namespace).resource(resource).do().catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      }
      await client.delete().resource('namespaces').name(namespace).do().catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  } finally {
    await client.close();
  }
}

import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingHttpClient } from './__fixtures__/recording-http-client.ts';
import { DynamicClient } from './dynamic-client.ts';
import { getName } from './object-meta-accessors.ts';

/* listAll and the list iterators over 1,200 objects on the real server, in pages of 100. */

const COUNT = 1200;
const PAGE = 100;
const http = new RecordingHttpClient(restConfigFor(testCluster()));
const dynamic = new DynamicClient(http);
const namespace = uniqueNamespace('kgo-dyn-paging');
const configMaps = dynamic.resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace(namespace);
const names = Array.from({ length: COUNT }, (_, i) => `cm-${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  await dynamic.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  // Eight at a time: the machine is shared.
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { paging: 'yes' } }, data: { i: name } });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}, 240_000);

afterAll(async () => {
  await configMaps.deleteCollection().catch(() => {});
  await dynamic.resource({ group: '', version: 'v1', resource: 'namespaces' }).delete(namespace).catch(() => {});
  await http.close();
});

describe(`listAll over ${COUNT} objects in pages of ${PAGE}`, () => {
  it('returns every object once, reading 12 pages, each next one by its continue token', async () => {
    http.take();
    const list = await configMaps.listAll({ limit: PAGE, labelSelector: 'paging=yes' });
    expect(list.items).toHaveLength(COUNT);
    expect(list.items.map(getName)).toEqual(names);
    expect(list.metadata.continue).toBeUndefined();
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(list.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });

    const sent = http.take();
    expect(sent).toHaveLength(COUNT / PAGE);
    expect(sent.every((request) => request.method === 'GET' && request.query.limit?.[0] === String(PAGE) && request.query.labelSelector?.[0] === 'paging=yes')).toBe(true);
    expect(sent[0]?.query.continue).toBeUndefined();
    expect(sent.slice(1).every((request) => request.query.continue?.[0])).toBe(true);
    expect(new Set(sent.slice(1).map((request) => request.query.continue?.[0])).size).toBe(COUNT / PAGE - 1);
  }, 60_000);

  it('iterates items and pages one request at a time', async () => {
    const seen = new Set<string>();
    for await (const item of configMaps.listItems({ limit: PAGE })) seen.add(getName(item) as string);
    expect(seen.size).toBe(COUNT);

    http.take();
    const sizes: number[] = [];
    for await (const page of configMaps.listPages({ limit: PAGE })) {
      sizes.push(page.items.length);
      // Never more requests than pages seen: the next page waits for the loop.
      expect(http.sent.length).toBe(sizes.length);
      if (sizes.length === 3) break;
    }
    expect(sizes).toEqual([PAGE, PAGE, PAGE]);
  }, 60_000);
});

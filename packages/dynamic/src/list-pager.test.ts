import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isResourceExpired, StatusError } from '@kgo/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamicClient } from './dynamic-client.ts';
import { getName } from './object-meta-accessors.ts';

/*
 * An expired continue token on demand: a real server only expires one after etcd compacted past
 * it (every 5 minutes), so a small loopback server plays the API server here, answering with the
 * real server's 410 Status. The paging against the real server is in paging.integration.test.ts.
 */

/** What kube-apiserver answers for a continue token older than the last compaction. */
const expiredStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
    'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
    'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  reason: 'Expired',
  code: 410,
};

const configMap = (name: string) => ({ metadata: { name, namespace: 'ns' }, data: {} });
let server: Server;
let dynamic: DynamicClient;
/** The query of every list request, in order. */
let requests: URLSearchParams[] = [];
/** How many continued requests expire before one succeeds. */
let expiries = 0;

function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  requests.push(url.searchParams);
  const send = (code: number, body: object) => {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (url.pathname !== '/api/v1/namespaces/ns/configmaps') return send(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'no' });
  if (url.searchParams.get('resourceVersion') === '1') return send(410, { ...expiredStatus, message: 'too old resource version: 1 (100)' });
  const list = (items: object[], token?: string) => ({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '100', continue: token }, items });
  const token = url.searchParams.get('continue');
  if (!token) return send(200, list([configMap('a'), configMap('b')], 'page-2'));
  if (expiries > 0) {
    expiries--;
    return send(410, expiredStatus);
  }
  return send(200, list([configMap('c')]));
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dynamic = new DynamicClient({ host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, qps: -1 });
});
afterAll(async () => {
  await dynamic.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = [];
  expiries = 0;
});

const configMaps = () => dynamic.resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace('ns');
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('paging across continue tokens', () => {
  it('lists every page, then returns one list with the first page’s metadata', async () => {
    const list = await configMaps().listAll({ limit: 2, resourceVersion: '0', resourceVersionMatch: 'NotOlderThan', labelSelector: 'a=b' });
    expect(list.items.map(getName)).toEqual(['a', 'b', 'c']);
    expect(list.metadata).toEqual({ resourceVersion: '100' });
    // The next page carries the token and the selector, but no resourceVersion (client-go's pager drops it).
    expect(requests.map((query) => Object.fromEntries(query))).toEqual([
      { limit: '2', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan', labelSelector: 'a=b' },
      { limit: '2', labelSelector: 'a=b', continue: 'page-2' },
    ]);
  });

  it('asks for pages of 500 unless told, and yields pages or items one request at a time', async () => {
    const pages = [];
    for await (const page of configMaps().listPages()) pages.push(page.items.map(getName));
    expect(pages).toEqual([['a', 'b'], ['c']]);
    expect(requests[0]?.get('limit')).toBe('500');
    const items = [];
    for await (const item of configMaps().listItems({ limit: 2 })) {
      items.push(getName(item));
      if (items.length === 1) expect(requests).toHaveLength(3); // the second page is not asked for yet
    }
    expect(items).toEqual(['a', 'b', 'c']);
  });
});

describe('an expired continue token (410 Expired)', () => {
  it('is an error by default that says how far the list got and what to do, and is still a 410 Expired StatusError', async () => {
    expiries = 1;
    const error = await errorOf(configMaps().listAll({ limit: 2 }));
    expect(StatusError.isInstance(error)).toBe(true);
    expect(isResourceExpired(error)).toBe(true);
    expect((error as StatusError).code).toBe(410);
    expect((error as StatusError).message).toBe(
      `listing configmaps in namespace "ns": the continue token expired after 1 page (2 items): pass onExpired: 'restart' to start the list over. ` +
        `The server said: ${expiredStatus.message}`,
    );
    expect(StatusError.isInstance((error as Error).cause)).toBe(true);
  });

  it("starts the list over with onExpired: 'restart': listAll keeps no duplicates, the iterator yields the first page again", async () => {
    expiries = 1;
    const list = await configMaps().listAll({ limit: 2, onExpired: 'restart' });
    expect(list.items.map(getName)).toEqual(['a', 'b', 'c']);
    expect(requests.map((query) => query.get('continue'))).toEqual([null, 'page-2', null, 'page-2']);

    expiries = 1;
    const items = [];
    for await (const item of configMaps().listItems({ limit: 2, onExpired: 'restart' })) items.push(getName(item));
    expect(items).toEqual(['a', 'b', 'a', 'b', 'c']);
  });

  it('gives up after 3 restarts', async () => {
    expiries = 100;
    const error = await errorOf(configMaps().listAll({ limit: 2, onExpired: 'restart' }));
    expect(isResourceExpired(error)).toBe(true);
    expect((error as Error).message).toMatch(/^listing configmaps in namespace "ns": the continue token expired after 1 page \(2 items\) \(after 3 restarts, the most allowed\)/);
    expect(requests).toHaveLength(8);
  });

  it('is rethrown untouched when no continue token was involved (a resourceVersion too old)', async () => {
    const error = await errorOf(configMaps().listAll({ resourceVersion: '1', resourceVersionMatch: 'Exact', onExpired: 'restart' }));
    expect(isResourceExpired(error)).toBe(true);
    expect((error as Error).message).toBe('too old resource version: 1 (100)');
    expect(requests).toHaveLength(1);
  });

  it('refuses an unknown onExpired', async () => {
    await expect(configMaps().listAll({ onExpired: 'retry' as 'error' })).rejects.toThrow(`onExpired must be 'error' or 'restart', got "retry"`);
    expect(requests).toHaveLength(0);
  });
});

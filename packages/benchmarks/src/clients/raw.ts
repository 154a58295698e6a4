import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Agent, request } from 'undici';
import type { BenchConnection } from '../cluster.ts';
import type { BenchClient, BenchWatch, ConfigMap, ConfigMapList, WatchListener } from './types.ts';

const gunzipAsync = promisify(gunzip);

/**
 * The floor: undici.request on an undici Agent, then `JSON.parse(await body.text())`. It does not
 * ask for compression, so the server sends plain JSON.
 *
 * With `gzip`, the `raw-gzip` variant asks for gzip as kgo and client-node do by default, and inflates the whole body with one zlib call: the floor for a compressed response.
 */
export function createRawClient(connection: BenchConnection, options: { gzip?: boolean } = {}): BenchClient {
  const dispatcher = new Agent({ connect: { ca: connection.caCert, cert: connection.cert, key: connection.key } });
  const base = connection.server;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.gzip) headers['accept-encoding'] = 'gzip';
  const send = async <T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> => {
    const response = await request(`${base}${path}`, {
      method,
      dispatcher,
      headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    let text: string;
    if (response.headers['content-encoding'] === 'gzip') {
      text = (await gunzipAsync(Buffer.from(await response.body.arrayBuffer()))).toString('utf8');
    } else {
      text = await response.body.text();
    }
    if (response.statusCode >= 300) throw new Error(`raw: ${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };
  return {
    name: options.gzip ? 'raw-gzip' : 'raw',
    get: (namespace, name) => send<ConfigMap>('GET', `/api/v1/namespaces/${namespace}/configmaps/${name}`),
    list: (namespace) => send<ConfigMapList>('GET', `/api/v1/namespaces/${namespace}/configmaps`),
    create: (namespace, configMap) => send<ConfigMap>('POST', `/api/v1/namespaces/${namespace}/configmaps`, configMap),
    watch: (namespace, resourceVersion, listener) => rawWatch(dispatcher, `${base}/api/v1/namespaces/${namespace}/configmaps?watch=true&resourceVersion=${resourceVersion}`, listener),
    close: () => dispatcher.close(),
  };
}

/** The floor of a watch: the body as text, split on newlines, `JSON.parse` per line. */
async function rawWatch(dispatcher: Agent, url: string, listener: WatchListener): Promise<BenchWatch> {
  const abort = new AbortController();
  const response = await request(url, { dispatcher, headers: { accept: 'application/json' }, signal: abort.signal });
  if (response.statusCode !== 200) throw new Error(`raw: watch ${url}: ${response.statusCode} ${(await response.body.text()).slice(0, 200)}`);
  response.body.setEncoding('utf8');
  const done = (async () => {
    let pending = '';
    try {
      for await (const chunk of response.body as AsyncIterable<string>) {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const event = JSON.parse(pending.slice(0, newline)) as { type: string; object: ConfigMap };
          listener(event.type, event.object);
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return { done, stop: () => abort.abort() };
}

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Agent, request } from 'undici';
import type { BenchConnection } from '../cluster.ts';
import type { BenchClient, ConfigMap, ConfigMapList } from './types.ts';

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
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await request(`${base}${path}`, { dispatcher, headers });
    let text: string;
    if (response.headers['content-encoding'] === 'gzip') {
      text = (await gunzipAsync(Buffer.from(await response.body.arrayBuffer()))).toString('utf8');
    } else {
      text = await response.body.text();
    }
    if (response.statusCode !== 200) throw new Error(`raw: GET ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };
  return {
    name: options.gzip ? 'raw-gzip' : 'raw',
    get: (namespace, name) => getJson<ConfigMap>(`/api/v1/namespaces/${namespace}/configmaps/${name}`),
    list: (namespace) => getJson<ConfigMapList>(`/api/v1/namespaces/${namespace}/configmaps`),
    close: () => dispatcher.close(),
  };
}

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCache } from './http-cache.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-http-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const body = new TextEncoder().encode('{"kind":"APIGroupDiscoveryList"}');
const entry = { etag: '"ABC"', contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', body };
const URL_A = 'https://127.0.0.1:6443/apis?timeout=32s';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

describe('HttpCache', () => {
  it('keeps a response per URL and Accept header', async () => {
    const cache = new HttpCache(join(dir, 'keys'));
    await cache.put(URL_A, AGGREGATED, entry);
    expect(await cache.get(URL_A, AGGREGATED)).toEqual(entry);
    expect(await cache.get(URL_A, 'application/json, */*')).toBeUndefined();
    expect(await cache.get('https://127.0.0.1:6443/api?timeout=32s', AGGREGATED)).toBeUndefined();
    const [file] = await readdir(join(dir, 'keys'));
    expect(file).toMatch(/^[0-9a-f]{64}\.kgo-http$/);
    expect((await stat(join(dir, 'keys', file!))).mode & 0o777).toBe(0o660);
  });

  it('a truncated, padded or foreign file is a miss', async () => {
    const folder = join(dir, 'damaged');
    const cache = new HttpCache(folder);
    await cache.put(URL_A, AGGREGATED, entry);
    const [name] = await readdir(folder);
    const path = join(folder, name!);
    const whole = await readFile(path);
    for (let length = 0; length < whole.length; length += 5) {
      await writeFile(path, whole.subarray(0, length));
      expect(await cache.get(URL_A, AGGREGATED), `first ${length} bytes`).toBeUndefined();
    }
    await writeFile(path, Buffer.concat([whole, Buffer.from('x')]));
    expect(await cache.get(URL_A, AGGREGATED)).toBeUndefined();
    // kubectl's format (a Go HTTP response dump) under the same name
    await writeFile(path, 'HTTP/2.0 200 OK\r\nEtag: "ABC"\r\n\r\n{}');
    expect(await cache.get(URL_A, AGGREGATED)).toBeUndefined();
    // a kgo file for another URL renamed into place
    const other = new HttpCache(join(dir, 'other'));
    await other.put('https://elsewhere/apis', AGGREGATED, entry);
    const [otherName] = await readdir(join(dir, 'other'));
    await writeFile(path, await readFile(join(dir, 'other', otherName!)));
    expect(await cache.get(URL_A, AGGREGATED)).toBeUndefined();
  });

  it('a folder that cannot be written only means nothing is kept', async () => {
    await writeFile(join(dir, 'not-a-folder'), '');
    const cache = new HttpCache(join(dir, 'not-a-folder'));
    await cache.put(URL_A, AGGREGATED, entry);
    expect(await cache.get(URL_A, AGGREGATED)).toBeUndefined();
  });
});

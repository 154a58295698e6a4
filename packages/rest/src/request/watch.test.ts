import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import type { RequestDescription } from '../errors/request-description.ts';
import { RequestError } from '../errors/request-error.ts';
import { RestClient } from '../rest-client.ts';
import { Watch, type WatchEvent } from './watch.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A stream of `chunks` that then closes, or fails with `failure`. */
function streamOf(chunks: Uint8Array[], failure?: unknown): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else if (failure === undefined) controller.close();
      else controller.error(failure);
    },
  });
}

const request: RequestDescription = { verb: 'GET', url: 'https://127.0.0.1:6443/api/v1/namespaces/d/configmaps?watch=true' };

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** Iterates `watch` to its end; returns the events seen and the error it ended with. */
async function drain<T>(watch: Watch<T>): Promise<{ events: WatchEvent<T>[]; error: unknown }> {
  const events: WatchEvent<T>[] = [];
  try {
    for await (const event of watch) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

describe('Watch', () => {
  it('yields events split across chunks in order, then ends quietly at EOF', async () => {
    const frames = ['{"type":"ADDED","object":{"n":1}}', '{"type":"MODIFIED","object":{"n":2}}', '{"type":"BOOKMARK","object":{"n":3}}'];
    const all = bytes(frames.join('\n'));
    const watch = new Watch<{ n: number }>(streamOf([all.slice(0, 10), all.slice(10, 50), all.slice(50)]), new AbortController(), { verb: 'GET', url: '/w' });
    const seen = [];
    for await (const event of watch) seen.push(`${event.type}:${(event.object as { n: number }).n}`);
    expect(seen).toEqual(['ADDED:1', 'MODIFIED:2', 'BOOKMARK:3']);
  });

  it('ends with an error for a stream cut inside an event', async () => {
    const watch = new Watch(streamOf([bytes('{"type":"ADDED","object":{"n":1}}{"type":')]), new AbortController(), { verb: 'GET', url: '/w' });
    const consume = async () => {
      for await (const _ of watch);
    };
    await expect(consume()).rejects.toThrow('GET /w: watch stream ended in the middle of an event');
  });

  it('ends with an error naming the request for an unknown event type', async () => {
    const watch = new Watch(streamOf([bytes('{"type":"WHAT","object":{}}')]), new AbortController(), { verb: 'GET', url: '/w' });
    const consume = async () => {
      for await (const _ of watch);
    };
    await expect(consume()).rejects.toThrow('GET /w: watch event has unknown type "WHAT"');
  });

  it('ends with a DecodeError naming the request for every undecodable stream, after the events before the fault', async () => {
    const added = '{"type":"ADDED","object":{"n":1}}\n';
    for (const [stream, message] of [
      [`${added}{"type":"ADDED","object":{"n":}}\n`, 'undecodable watch event (after 1 events): Unexpected token \'}\''],
      [`${added}{"type":"EXPLODED","object":{}}\n`, 'watch event has unknown type "EXPLODED"'],
      [`${added}{"type":"ADDED","object":"x"}\n`, 'watch event ADDED has no object'],
      [`${added}"abc"\n`, 'unexpected string between watch events (after 1 events)'],
      [`${added}"abc`, 'unexpected string between watch events (after 1 events)'],
      [`${added}{"type":"ADDED","object":{"n":"2`, 'watch stream ended in the middle of an event'],
    ] as const) {
      const { events, error } = await drain(new Watch(streamOf([bytes(stream)]), new AbortController(), request));
      expect(events, stream).toEqual([{ type: 'ADDED', object: { n: 1 } }]);
      expect(DecodeError.isInstance(error), stream).toBe(true);
      expect((error as DecodeError).request, stream).toBe(request);
      expect((error as DecodeError).message, stream).toMatch(new RegExp(`^GET https://127.0.0.1:6443/api/v1/namespaces/d/configmaps\\?watch=true: ${escapeRegExp(message)}`));
    }
  });

  it('ends with a RequestError naming the request and the cause when the connection breaks', async () => {
    // The shape of undici's error for a body cut short: TypeError('terminated') caused by a SocketError.
    const broken = Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const { events, error } = await drain(new Watch(streamOf([bytes('{"type":"ADDED","object":{"n":1}}\n')], broken), new AbortController(), request));
    expect(events).toHaveLength(1);
    expect(RequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: 'GET https://127.0.0.1:6443/api/v1/namespaces/d/configmaps?watch=true: watch stream broke: other side closed (UND_ERR_SOCKET)',
      code: 'UND_ERR_SOCKET',
      request,
      cause: broken,
    });
  });

  it('ends with a RequestError saying the connection went silent when TCP keep-alive gave up (ETIMEDOUT)', async () => {
    const silent = Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT', errno: -110, syscall: 'read' });
    const { events, error } = await drain(new Watch(streamOf([bytes('{"type":"ADDED","object":{"n":1}}\n')], silent), new AbortController(), request));
    expect(events).toHaveLength(1);
    expect(RequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', request, cause: silent });
    expect((error as Error).message).toMatch(
      new RegExp(`^${escapeRegExp(`GET ${request.url}: watch stream broke: the connection went silent: the server stopped answering TCP keep-alive probes`)}.*\\(ETIMEDOUT\\)$`),
    );
  });

  it('ends quietly when the stream fails because the watch was stopped on purpose', async () => {
    const abort = new AbortController();
    abort.abort(new Error('watch stopped'));
    const { events, error } = await drain(new Watch(streamOf([bytes('{"type":"ADDED","object":{"n":1}}\n')], new Error('aborted')), abort, request));
    expect(events).toHaveLength(1);
    expect(error).toBeUndefined();
  });
});

/*
 * Through RestClient, over a real connection: faults the API server will not produce on demand
 * (a connection cut in the middle of a watch, a stream with garbage in it). Loopback only.
 */
describe('Watch over HTTP', () => {
  let server: Server;
  let host: string;
  const serve = new Map<string, (res: ServerResponse) => void>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      (serve.get(path) ?? ((r) => r.writeHead(404).end()))(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => new RestClient({ host, qps: -1 }, { groupVersion: { group: '', version: 'v1' } });
  const start = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });

  it('ends with a RequestError after the events that arrived when the server cuts the connection', async () => {
    serve.set('/api/v1/namespaces/cut/configmaps', (res) => {
      start(res);
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const rest = client();
    try {
      const watch = await rest.get().namespace('cut').resource('configmaps').watch();
      const { events, error } = await drain(watch);
      expect(events).toEqual([{ type: 'ADDED', object: { metadata: { name: 'a' } } }]);
      expect(RequestError.isInstance(error)).toBe(true);
      expect((error as RequestError).message).toMatch(new RegExp(`^GET ${escapeRegExp(host)}/api/v1/namespaces/cut/configmaps\\?watch=true: watch stream broke: `));
      expect((error as RequestError).request).toMatchObject({ verb: 'GET', url: `${host}/api/v1/namespaces/cut/configmaps?watch=true`, resource: 'configmaps' });
    } finally {
      await rest.close();
    }
  });

  it('ends with a DecodeError when the server sends a JSON string between events', async () => {
    serve.set('/api/v1/namespaces/garbage/configmaps', (res) => {
      start(res);
      res.end('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n"abc"\n{"type":"ADDED","object":{"metadata":{"name":"b"}}}\n');
    });
    const rest = client();
    try {
      const { events, error } = await drain(await rest.get().namespace('garbage').resource('configmaps').watch());
      expect(events).toHaveLength(1);
      expect(DecodeError.isInstance(error)).toBe(true);
      expect((error as DecodeError).message).toBe(`GET ${host}/api/v1/namespaces/garbage/configmaps?watch=true: unexpected string between watch events (after 1 events)`);
    } finally {
      await rest.close();
    }
  });
});

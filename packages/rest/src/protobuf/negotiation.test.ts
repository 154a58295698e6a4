import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import { StatusError } from '../errors/status-error.ts';
import { PatchType } from '../request/patch-type.ts';
import type { WatchEvent } from '../request/watch.ts';
import { RestClient } from '../rest-client.ts';
import { decodeEnvelope, encodeEnvelope } from './envelope.ts';
import { PROTOBUF_ACCEPT, PROTOBUF_CONTENT_TYPE, PROTOBUF_WATCH_CONTENT_TYPE } from './media-types.ts';
import { encodeStatusMessage } from './status-message.ts';
import { encodeWatchFrame } from './watch-frames.ts';
import { configMapCodec, decodeConfigMap, encodeConfigMap, type TestConfigMap } from './__fixtures__/config-map-codec.ts';

/*
 * Content negotiation against a small local server: the faults the real kube-apiserver will not
 * produce for built-in kinds on demand (406/415 to protobuf, protobuf kinds a codec lacks, broken
 * protobuf watch streams). What the real server does is in protobuf.integration.test.ts.
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let host: string;
let seen: Seen[] = [];
/** Answers the next requests; falls back to `defaultAnswer`. */
let answers: ((request: Seen, res: ServerResponse) => void)[] = [];

const configMap = (name: string): TestConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' } });
const protobufConfigMap = (name: string) => encodeEnvelope({ apiVersion: 'v1', kind: 'ConfigMap' }, encodeConfigMap(configMap(name)));
const jsonConfigMap = (name: string) => JSON.stringify(configMap(name));

function defaultAnswer(request: Seen, res: ServerResponse): void {
  if (request.headers.accept?.startsWith(PROTOBUF_CONTENT_TYPE)) res.writeHead(200, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(protobufConfigMap('app'));
  else res.writeHead(200, { 'content-type': 'application/json' }).end(jsonConfigMap('app'));
}

const refuse = (code: 406 | 415) => (_: Seen, res: ServerResponse) =>
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: code === 406 ? 'NotAcceptable' : 'UnsupportedMediaType', message: 'not here' }));

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(request);
      (answers.shift() ?? defaultAnswer)(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  answers = [];
});

const client = (protobuf = configMapCodec()) => new RestClient({ host, qps: -1 }, { groupVersion: { group: '', version: 'v1' }, protobuf });

describe('requests that prefer protobuf', () => {
  it('accept protobuf with a JSON fallback and decode the protobuf answer through the codec', async () => {
    const codec = configMapCodec();
    const core = client(codec);
    const result = await core.get().namespace('default').resource('configmaps').name('app').do();
    expect(seen[0]?.headers.accept).toBe(PROTOBUF_ACCEPT);
    expect(result.isProtobuf).toBe(true);
    expect(result.envelope().typeMeta).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(result.into<TestConfigMap>()).toEqual(configMap('app'));
    expect(codec.decoded).toEqual(['ConfigMap']);
  });

  it('stay JSON without a codec, with .protobuf(null), and keep an Accept the caller set', async () => {
    const plain = new RestClient({ host, qps: -1 }, { groupVersion: { group: '', version: 'v1' } });
    await plain.get().resource('configmaps').do();
    await client().get().resource('configmaps').protobuf(null).do();
    await client().get().resource('configmaps').setHeader('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io').do();
    await plain.get().resource('configmaps').protobuf(configMapCodec()).do();
    expect(seen.map((request) => request.headers.accept)).toEqual([
      'application/json, */*',
      'application/json, */*',
      'application/json;as=Table;v=v1;g=meta.k8s.io',
      PROTOBUF_ACCEPT,
    ]);
  });

  it('send object bodies of kinds the codec handles as protobuf, everything else as JSON', async () => {
    const core = client();
    await core.post().namespace('default').resource('configmaps').body(configMap('new')).do();
    await core.post().namespace('default').resource('secrets').body({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }).do();
    await core.post().namespace('default').resource('configmaps').body({ metadata: { name: 'no-kind' } }).do();
    await core.patch(PatchType.Merge).namespace('default').resource('configmaps').name('app').body({ apiVersion: 'v1', kind: 'ConfigMap', data: { b: '2' } }).do();
    await core.put().namespace('default').resource('configmaps').name('app').body(jsonConfigMap('app')).do();
    expect(seen.map((request) => request.headers['content-type'])).toEqual([
      PROTOBUF_CONTENT_TYPE,
      'application/json',
      'application/json',
      PatchType.Merge,
      'application/json',
    ]);
    const envelope = decodeEnvelope(new Uint8Array(seen[0]?.body ?? []));
    expect(envelope.typeMeta).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(decodeConfigMap(envelope.raw).metadata.name).toBe('new');
    expect(JSON.parse(seen[1]?.body.toString() ?? '')).toMatchObject({ kind: 'Secret' });
  });

  it('encode the body as it was when body() was called, as the JSON form is', async () => {
    const object = configMap('before');
    const request = client().post().namespace('default').resource('configmaps').body(object);
    object.metadata.name = 'after';
    await request.do();
    expect(decodeConfigMap(decodeEnvelope(new Uint8Array(seen[0]?.body ?? [])).raw).metadata.name).toBe('before');
  });
});

describe('the JSON fallback', () => {
  it('re-sends a POST refused with 415 once as JSON, and uses JSON for that resource from then on', async () => {
    const core = client();
    answers.push(refuse(415));
    const created = await core.post().namespace('default').resource('configmaps').body(configMap('new')).do().into<TestConfigMap>();
    expect(created.metadata.name).toBe('app');
    expect(seen.map((request) => [request.headers['content-type'], request.headers.accept])).toEqual([
      [PROTOBUF_CONTENT_TYPE, PROTOBUF_ACCEPT],
      ['application/json', 'application/json, */*'],
    ]);
    expect(JSON.parse(seen[1]?.body.toString() ?? '')).toEqual(configMap('new'));
    expect(core.jsonPreferences.size).toBe(1);
    // The same resource (another namespace, another name) goes straight to JSON; another resource still prefers protobuf.
    await core.get().namespace('other').resource('configmaps').name('x').do();
    await core.get().namespace('default').resource('secrets').name('x').do();
    expect(seen.slice(2).map((request) => request.headers.accept)).toEqual(['application/json, */*', PROTOBUF_ACCEPT]);
    // Another client has its own memory.
    await client().get().namespace('default').resource('configmaps').do();
    expect(seen[4]?.headers.accept).toBe(PROTOBUF_ACCEPT);
  });

  it('re-sends a GET refused with 406 once, and fails with the second answer when JSON is refused too', async () => {
    const core = client();
    answers.push(refuse(406));
    expect(await core.get().resource('nodes').do().into()).toEqual(configMap('app'));
    expect(seen.map((request) => request.headers.accept)).toEqual([PROTOBUF_ACCEPT, 'application/json, */*']);

    seen = [];
    answers.push(refuse(406), refuse(406));
    const error = await core.get().resource('pods').do().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(StatusError.isInstance(error) && error.code).toBe(406);
    expect(seen).toHaveLength(2);
  });

  it('drops a protobuf-only Accept the caller set when it falls back to JSON', async () => {
    answers.push(refuse(406));
    await client().get().resource('widgets').setHeader('Accept', PROTOBUF_CONTENT_TYPE).do();
    expect(seen.map((request) => request.headers.accept)).toEqual([PROTOBUF_CONTENT_TYPE, 'application/json, */*']);
  });

  it('re-opens a watch refused with 406 as a JSON watch', async () => {
    const core = client();
    answers.push(refuse(406), (_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ADDED', object: configMap('w') })}\n`);
    });
    const watch = await core.get().resource('configmaps').watch<TestConfigMap>();
    expect(watch.isProtobuf).toBe(false);
    const events: WatchEvent<TestConfigMap>[] = [];
    for await (const event of watch) events.push(event);
    expect(events.map((event) => [event.type, (event.object as TestConfigMap).metadata.name])).toEqual([['ADDED', 'w']]);
    expect(seen.map((request) => request.headers.accept)).toEqual([PROTOBUF_ACCEPT, 'application/json, */*']);
    expect(core.jsonPreferences.size).toBe(1);
  });

  it('re-sends a GET whose protobuf kind the codec does not handle as JSON; for a POST into() says what to do', async () => {
    const core = client();
    const podBytes = encodeEnvelope({ apiVersion: 'v1', kind: 'Pod' }, new Uint8Array([0x0a, 0x00]));
    answers.push((_, res) => res.writeHead(200, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(podBytes));
    expect(await core.get().resource('pods').name('p').do().into()).toEqual(configMap('app'));
    expect(seen.map((request) => request.headers.accept)).toEqual([PROTOBUF_ACCEPT, 'application/json, */*']);

    answers.push((_, res) => res.writeHead(201, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(podBytes));
    const result = await core.post().resource('bindings').body({ kind: 'Binding' }).do();
    expect(() => result.into()).toThrow(DecodeError);
    expect(() => result.into()).toThrow(/POST .*\/bindings: the server answered with protobuf Pod \(v1\), which the protobuf codec does not handle: give the client a codec for it, or request JSON with \.protobuf\(null\)/);
  });
});

describe('protobuf answers', () => {
  it('decode a protobuf Status error with code, reason, message and causes', async () => {
    const status = {
      status: 'Failure' as const,
      message: 'ConfigMap "bad" is invalid',
      reason: 'Invalid',
      code: 422,
      details: { name: 'bad', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', message: 'bad key', field: 'data[a b]' }] },
    };
    answers.push((_, res) => res.writeHead(422, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(encodeEnvelope({ apiVersion: 'v1', kind: 'Status' }, encodeStatusMessage(status))));
    const error = await client()
      .post()
      .namespace('default')
      .resource('configmaps')
      .body(configMap('bad'))
      .do()
      .then(() => undefined, (failure: unknown) => failure);
    expect(StatusError.isInstance(error)).toBe(true);
    expect((error as StatusError).status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, ...status });
  });

  it('give a generic StatusError, not quoting the body, for a protobuf error body that is not a Status', async () => {
    answers.push((_, res) => res.writeHead(500, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(protobufConfigMap('kgo-marker-token-7f3a9c2e41b8')));
    const error = (await client().get().resource('configmaps').do().then(() => undefined, (failure: unknown) => failure)) as StatusError;
    expect(error.code).toBe(500);
    expect(error.reason).toBe('InternalError');
    expect(error.message).not.toContain('kgo-marker');
  });

  it('decode a protobuf watch stream cut at any point into the same events as JSON', async () => {
    const frames = Buffer.concat([
      encodeWatchFrame('ADDED', protobufConfigMap('a')),
      encodeWatchFrame('MODIFIED', protobufConfigMap('a')),
      encodeWatchFrame('BOOKMARK', protobufConfigMap('')),
      encodeWatchFrame('DELETED', protobufConfigMap('a')),
      encodeWatchFrame('ERROR', encodeEnvelope({ apiVersion: 'v1', kind: 'Status' }, encodeStatusMessage({ status: 'Failure', code: 410, reason: 'Expired', message: 'too old' }))),
    ]);
    answers.push((_, res) => {
      res.writeHead(200, { 'content-type': PROTOBUF_WATCH_CONTENT_TYPE });
      // Small, uneven pieces: prefixes and messages split across writes.
      let at = 0;
      const step = () => {
        if (at >= frames.length) return res.end();
        const size = 1 + (at % 7);
        res.write(frames.subarray(at, at + size));
        at += size;
        setImmediate(step);
      };
      step();
    });
    const watch = await client().get().resource('configmaps').watch<TestConfigMap>();
    expect(watch.isProtobuf).toBe(true);
    const events: WatchEvent<TestConfigMap>[] = [];
    for await (const event of watch) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'BOOKMARK', 'DELETED', 'ERROR']);
    expect(events[0]?.object).toEqual(configMap('a'));
    expect(events[4]?.object).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old' });
  });

  it('end a protobuf watch with a DecodeError naming the request for an unknown event type, a kind no codec handles, or a cut stream', async () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from(encodeWatchFrame('EXPLODED', protobufConfigMap('a'))), /watch event has unknown type "EXPLODED"/],
      [Buffer.from(encodeWatchFrame('ADDED', encodeEnvelope({ apiVersion: 'v1', kind: 'Secret' }, new Uint8Array()))), /protobuf Secret \(v1\), which the protobuf codec does not handle/],
      [Buffer.from(encodeWatchFrame('ADDED', protobufConfigMap('a'))).subarray(0, 10), /ended in the middle of a frame \(after 0 frames\)/],
      [Buffer.from(encodeWatchFrame('ADDED', new Uint8Array())), /watch event ADDED has no object/],
    ];
    for (const [bytes, message] of cases) {
      answers.push((_, res) => res.writeHead(200, { 'content-type': PROTOBUF_WATCH_CONTENT_TYPE }).end(bytes));
      const core = client();
      const watch = await core.get().resource('configmaps').watch();
      const error = await (async () => {
        for await (const _ of watch) {
          // no event is expected before the error
        }
      })().then(() => undefined, (failure: unknown) => failure);
      expect(DecodeError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/configmaps\?watch=true: /);
      expect((error as Error).message).toMatch(message);
    }
  });
});

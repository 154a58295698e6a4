/*
 * Each fault of the FaultProxy, seen by bare Node clients (node:http2 and node:https) against the
 * real API server: what arrives on the wire, not how a kgo client copes (that is @kgo/rest's
 * reliability suite).
 */
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { Agent, get } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from './fault-plan.ts';
import { FaultProxy } from './fault-proxy.ts';
import { testCluster } from './vitest.ts';

interface Outcome {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  error: string | undefined;
  ms: number;
  goaway: boolean;
}

/** One GET over its own HTTP/2 connection; never rejects (the outcome says what happened). */
async function h2Get(proxy: FaultProxy, path: string, limitMs = 10_000): Promise<Outcome> {
  const started = performance.now();
  const session: ClientHttp2Session = connect(proxy.url, { ca: proxy.caCert });
  const outcome: Outcome = { status: undefined, headers: {}, body: '', error: undefined, ms: 0, goaway: false };
  session.on('goaway', () => (outcome.goaway = true));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => ((outcome.error = 'client timeout'), resolve()), limitMs);
    const done = (error?: Error) => {
      if (error && !outcome.error) outcome.error = (error as NodeJS.ErrnoException).code ?? error.message;
      clearTimeout(timer);
      resolve();
    };
    session.on('error', done);
    const stream = session.request({ ':path': path });
    stream.on('response', (headers) => {
      outcome.status = Number(headers[':status']);
      outcome.headers = headers;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (outcome.body += chunk));
    stream.on('error', done);
    stream.on('close', () => {
      if (stream.rstCode && stream.rstCode !== 0 && !outcome.error) outcome.error = `RST_STREAM ${stream.rstCode}`;
      done();
    });
  });
  session.destroy();
  outcome.ms = performance.now() - started;
  return outcome;
}

const cluster = testCluster();
let proxy: FaultProxy;
const PATH = '/api/v1/namespaces/default';

beforeAll(async () => {
  proxy = await FaultProxy.start(cluster, { seed: 1, stallMs: 400, slowBody: { chunkBytes: 100, delayMs: 30 }, retryAfterSeconds: 7 });
});
afterAll(async () => {
  await proxy.close();
});
afterEach(() => {
  proxy.setRates({});
  proxy.cutWatchesAfter(undefined);
});

/** Sends one GET with every request faulted by `kind`. */
async function faulted(kind: FaultKind): Promise<Outcome> {
  proxy.setRates({ [kind]: 1 });
  const before = proxy.requests.length;
  const outcome = await h2Get(proxy, PATH);
  expect(proxy.requests.slice(before).map((r) => r.fault)).toEqual([kind]);
  return outcome;
}

describe('FaultProxy', () => {
  it('forwards untouched with the admin credentials, over HTTP/2', async () => {
    const outcome = await h2Get(proxy, PATH);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body)).toMatchObject({ kind: 'Namespace', metadata: { name: 'default' } });
    expect(proxy.requests.at(-1)).toMatchObject({ kind: 'get', fault: undefined, forwarded: true, upstreamStatus: 200, delivered: true });
  });

  it('reset: the connection dies before anything is forwarded', async () => {
    const outcome = await faulted('reset');
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toBeDefined();
    expect(proxy.requests.at(-1)).toMatchObject({ forwarded: false, delivered: false });
  });

  it('reset-after-forward: the server answered, the client gets no response', async () => {
    const outcome = await faulted('reset-after-forward');
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toBeDefined();
    expect(proxy.requests.at(-1)).toMatchObject({ forwarded: true, upstreamStatus: 200, delivered: false });
  });

  it('stall: nothing for stallMs, then the connection is reset', async () => {
    const outcome = await faulted('stall');
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toBeDefined();
    expect(outcome.ms).toBeGreaterThanOrEqual(390);
  });

  it('slow-body: the whole body, in paced chunks', async () => {
    const outcome = await faulted('slow-body');
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    const chunks = Math.ceil(Buffer.byteLength(outcome.body) / 100);
    expect(chunks).toBeGreaterThan(2);
    expect(outcome.ms).toBeGreaterThanOrEqual((chunks - 1) * 30 - 10);
    expect(JSON.parse(outcome.body).metadata.name).toBe('default');
  });

  it('truncated-body: Content-Length promises more than arrives before the connection ends', async () => {
    const outcome = await faulted('truncated-body');
    expect(outcome.status).toBe(200);
    expect(outcome.error).toBeDefined();
    const promised = Number(outcome.headers['content-length']);
    expect(promised).toBeGreaterThan(0);
    expect(Buffer.byteLength(outcome.body)).toBe(Math.floor(promised / 2));
  });

  it('goaway: GOAWAY arrives, this stream is still answered whole', async () => {
    const outcome = await faulted('goaway');
    expect(outcome.goaway).toBe(true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body).metadata.name).toBe('default');
  });

  it('goaway over HTTP/1.1: Connection: close', async () => {
    proxy.setRates({ goaway: 1 });
    const agent = new Agent({ ca: proxy.caCert, keepAlive: true });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      get(`${proxy.url}${PATH}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      }).on('error', reject);
    });
    agent.destroy();
    expect(headers).toEqual({ status: 200, connection: 'close' });
  });

  for (const code of [429, 500, 503]) {
    it(`${code} without and with Retry-After, never forwarded`, async () => {
      const plain = await faulted(String(code) as FaultKind);
      expect(plain.status).toBe(code);
      expect(plain.headers['retry-after']).toBeUndefined();
      expect(JSON.parse(plain.body)).toMatchObject({ kind: 'Status', code });
      expect(proxy.requests.at(-1)?.forwarded).toBe(false);
      const later = await faulted(`${code}-retry-after` as FaultKind);
      expect(later.status).toBe(code);
      expect(later.headers['retry-after']).toBe('7');
    });
  }

  it('cuts a watch stream after N events: N whole lines, then the stream is reset', async () => {
    proxy.cutWatchesAfter([2, 2]);
    const cutsBefore = proxy.cuts;
    const outcome = await h2Get(proxy, '/api/v1/namespaces?watch=true');
    expect(outcome.status).toBe(200);
    expect(outcome.error).toMatch(/RST_STREAM|ERR_HTTP2_STREAM_ERROR/);
    const lines = outcome.body.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line).type).toBe('ADDED');
    expect(proxy.cuts).toBe(cutsBefore + 1);
  });

  it('injectNext: the next eligible requests get the queued faults, in order', async () => {
    proxy.injectNext('503', '429-retry-after');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h2Get(proxy, PATH)).status);
    expect(statuses).toEqual([503, 429, 200]);
    expect(() => proxy.injectNext('nope' as FaultKind)).toThrow(/unknown fault kind/);
  });

  it('faults only what `applies` selects, and replays with the same seed', async () => {
    const sequence = async (seed: number) => {
      const replay = await FaultProxy.start(cluster, { seed, rates: { '503': 0.5 }, applies: (r) => r.path.endsWith('/default') });
      try {
        const statuses: (number | undefined)[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await h2Get(replay, i % 3 === 0 ? '/api/v1/namespaces/kube-system' : PATH)).status);
        expect(replay.requests.filter((r) => r.path.endsWith('/kube-system')).every((r) => r.fault === undefined)).toBe(true);
        return statuses;
      } finally {
        await replay.close();
      }
    };
    const first = await sequence(99);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await sequence(99)).toEqual(first);
  });
});

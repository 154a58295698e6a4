import { EventEmitter, once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueCertificate } from '@kgo/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionPool as Pool, PoolRequest } from './connection-pool.ts';
import { HTTP2_CONNECTION_LOST } from './http2-health-check.ts';
import { ConnectionPool, loadHttpLayer } from './http-layer.ts';
import { onStreamFailure } from './http2-stream-failure.ts';

/*
 * The health check's ping after a failed stream. node:http2's server answers every PING, so the
 * server here is a few HTTP/2 frames written by hand over TLS: it answers each stream as told,
 * counts the PINGs it gets, and can stop answering anything (a session Node's client keeps open
 * after its connection broke).
 */

type Answer = 'ok' | 'reset' | 'hold';

/** A minimal HTTP/2 server: `script` answers each stream in turn; emits 'stream' with each answer given. */
class FrameServer extends EventEmitter {
  readonly server: Server;
  connections = 0;
  pings = 0;
  /** What the next streams get, first to last; when empty, 'ok'. */
  script: Answer[] = [];
  /** Stop answering (PINGs included) right after the next reset. */
  silentAfterReset = false;

  constructor(tls: { cert: string; key: string }) {
    super();
    this.server = createServer({ ...tls, ALPNProtocols: ['h2'] }, (socket) => this.#accept(socket));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  #accept(socket: TLSSocket): void {
    this.connections++;
    socket.on('error', () => {});
    let silent = false;
    let buffer = Buffer.alloc(0);
    let preface = false;
    const send = (type: number, flags: number, id: number, payload: Buffer = Buffer.alloc(0)) => {
      const header = Buffer.alloc(9);
      header.writeUIntBE(payload.length, 0, 3);
      header[3] = type;
      header[4] = flags;
      header.writeUInt32BE(id, 5);
      socket.write(Buffer.concat([header, payload]));
    };
    send(4, 0, 0); // SETTINGS: the defaults
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!preface) {
        if (buffer.length < 24) return;
        buffer = buffer.subarray(24);
        preface = true;
      }
      while (buffer.length >= 9) {
        const length = buffer.readUIntBE(0, 3);
        if (buffer.length < 9 + length) return;
        const [type, flags] = [buffer[3], buffer[4] as number];
        const id = buffer.readUInt32BE(5) & 0x7fffffff;
        const payload = buffer.subarray(9, 9 + length);
        buffer = buffer.subarray(9 + length);
        if (type === 6 && !(flags & 1)) this.pings++;
        if (silent) continue;
        if (type === 4 && !(flags & 1)) send(4, 1, 0); // SETTINGS ack
        else if (type === 6 && !(flags & 1)) send(6, 1, 0, Buffer.from(payload)); // PING ack
        else if (type === 1) {
          const answer = this.script.shift() ?? 'ok';
          this.emit('stream', answer);
          if (answer === 'ok') {
            send(1, 4, id, Buffer.from([0x88])); // HEADERS, END_HEADERS: ":status: 200" (HPACK static index 8)
            send(0, 1, id, Buffer.from('ok')); // DATA, END_STREAM
          } else if (answer === 'reset') {
            send(3, 0, id, Buffer.from([0, 0, 0, 2])); // RST_STREAM INTERNAL_ERROR
            if (this.silentAfterReset) silent = true;
          }
        }
      }
    });
  }
}

let dir: string;
let ca: string;
let serving: { cert: string; key: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-h2-failure-'));
  const authority = await createCertificateAuthority(dir, 'ca', 'kgo-h2-failure-test-ca');
  ca = authority.cert;
  serving = await issueCertificate(dir, 'server', authority, { commonName: 'h2', ipAddresses: ['127.0.0.1'], usage: 'server' });
  await loadHttpLayer();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A pool whose idle health check stays out of the way (60 s), with a short deadline for the ping after a failed stream. */
function pool(): Pool {
  return new ConnectionPool({
    dial: { tls: { ca, rejectUnauthorized: true }, proxy: undefined, keepAliveInitialDelayMs: 30_000, connectTimeoutMs: 5000 },
    http2: { enabled: true, readIdleTimeoutMs: 60_000, pingTimeoutMs: 15_000 },
    clientCertificate: false,
    idleTimeoutMs: 30_000,
    streamFailurePingTimeoutMs: 200,
  });
}

const get = (port: number, signal?: AbortSignal): PoolRequest => ({ url: new URL(`https://127.0.0.1:${port}/x`), method: 'GET', headers: {}, body: undefined, signal, buffer: true });

/** Sends a GET and reads its body; the body's text, or the error. */
async function send(client: Pool, port: number, signal?: AbortSignal): Promise<string> {
  const response = await client.request(get(port, signal));
  return Buffer.from(await (response.bytes as Promise<Uint8Array>)).toString();
}

describe('the ping after a failed HTTP/2 stream', () => {
  it('closes a session that stopped answering after a stream reset; its calls fail as a lost connection, the next one gets a new connection', async () => {
    const server = new FrameServer(serving);
    const port = await server.listen();
    const client = pool();
    try {
      expect(await send(client, port)).toBe('ok');
      // A call held open on the session, then a stream the server resets before it goes silent.
      server.script = ['hold', 'reset'];
      server.silentAfterReset = true;
      const held = send(client, port).catch((e: unknown) => e);
      await expect(send(client, port)).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
      // The ping went out and was not answered: the connection is closed, and the held call fails with it.
      const error = await held;
      expect(error).toMatchObject({ code: HTTP2_CONNECTION_LOST });
      expect((error as Error).message).toBe('HTTP/2 connection lost: the server did not answer a PING within 0.2 s (sent when a stream on it failed), so kgo closed the connection');
      expect(server.pings).toBe(1);
      expect(server.connections).toBe(1);
      expect(await send(client, port)).toBe('ok');
      expect(server.connections).toBe(2);
    } finally {
      await client.close();
      server.server.close();
    }
  });

  it('keeps a session that answers the ping, and sends none for a stream the caller cancelled', async () => {
    const server = new FrameServer(serving);
    const port = await server.listen();
    const client = pool();
    try {
      expect(await send(client, port)).toBe('ok');
      // Cancelled by the caller: the client's own doing, no check.
      server.script = ['hold'];
      const abort = new AbortController();
      const reached = once(server, 'stream');
      const cancelled = send(client, port, abort.signal).catch((e: unknown) => e);
      await reached;
      abort.abort();
      expect(await cancelled).toMatchObject({ name: 'AbortError' });
      expect(await send(client, port)).toBe('ok');
      expect(server.pings).toBe(0);
      // Reset by the server: pinged, answered.
      server.script = ['reset'];
      await expect(send(client, port)).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
      expect(await send(client, port)).toBe('ok');
      expect(server.pings).toBe(1);
      // A second failure pings again: the first ping's deadline is gone (one ping in flight at a
      // time), and the session is still the first one.
      server.script = ['reset'];
      await expect(send(client, port)).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
      expect(await send(client, port)).toBe('ok');
      expect(server.pings).toBe(2);
      expect(server.connections).toBe(1);
    } finally {
      await client.close();
      server.server.close();
    }
  });
});

/** A stream and session that only emit what a test tells them to. */
function fakes(rstCode: number, errored: Error | null = null, session: Partial<ClientHttp2Session> = {}) {
  const stream = Object.assign(new EventEmitter(), { rstCode, errored }) as unknown as ClientHttp2Stream;
  return { stream, session: { closed: false, destroyed: false, ...session } as ClientHttp2Session };
}

describe('onStreamFailure', () => {
  it.each([
    ['reset by the server (RST_STREAM INTERNAL_ERROR)', true, 2, null],
    ['cancelled by the server (RST_STREAM CANCEL, no error event)', true, 8, null],
    ['that errored', true, 0, new Error('boom')],
    ['closed normally', false, 0, null],
    ['refused unprocessed (REFUSED_STREAM: the pool resends it)', false, 7, new Error('NGHTTP2_REFUSED_STREAM')],
  ] as [string, boolean, number, Error | null][])('a stream %s: failed %s', (_, failed, rstCode, errored) => {
    const { stream, session } = fakes(rstCode, errored);
    let calls = 0;
    onStreamFailure(stream, session, undefined, () => calls++);
    stream.emit('close');
    expect(calls).toBe(failed ? 1 : 0);
  });

  it('counts an aborted stream, and nothing the client ended itself or on a session going away', () => {
    let calls = 0;
    const count = () => calls++;
    const aborted = fakes(0);
    onStreamFailure(aborted.stream, aborted.session, undefined, count);
    aborted.stream.emit('aborted');
    aborted.stream.emit('close');
    expect(calls).toBe(1);
    const signal = AbortSignal.abort();
    for (const { stream, session, by } of [
      { ...fakes(8, new Error('aborted')), by: signal },
      { ...fakes(2, null, { closed: true }), by: undefined },
      { ...fakes(8, null, { destroyed: true }), by: undefined },
    ]) {
      onStreamFailure(stream, session, by, count);
      stream.emit('close');
    }
    expect(calls).toBe(1);
  });
});

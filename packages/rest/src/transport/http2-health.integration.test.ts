import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { seededRandom } from '@kgo/envtest';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestError } from '../errors/request-error.ts';
import { StatusError } from '../errors/status-error.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';

/*
 * HTTP/2 under connection faults, against the real kube-apiserver behind a TCP proxy on loopback
 * (TLS runs end to end through it). Resetting connections wedged an HTTP/2 session: Node's
 * http2 client can miss the reset, so the session never closes and every call on it hangs (under
 * undici, for its 300 s headers timeout; kgo's own pool has no headers timeout). kgo pings a session that has been silent (client-go's HTTP/2
 * health check) and closes it when the ping goes unanswered. Test-sized settings: ping after
 * 1 s without a frame, give up 1 s later (client-go: 30 s and 15 s).
 */

interface ConfigMap {
  metadata: { name: string };
}

const cluster = testCluster();
const target = new URL(cluster.server);
const health = { readIdleTimeoutMs: 1000, pingTimeoutMs: 1000 };
const namespace = uniqueNamespace('kgo-h2');

/**
 * A TCP proxy to the API server. `resetRate` is the chance that a chunk from the client resets
 * its connection (RST to the client, the server side closed); `silence()` makes every open
 * connection drop all bytes from then on, both ways, while staying open (a dead peer).
 */
class FaultProxy {
  readonly server: Server;
  connections = 0;
  resets = 0;
  resetRate = 0;
  readonly #open = new Set<{ silent: boolean }>();
  readonly #sockets = new Set<Socket>();
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
    this.server = createServer((client) => this.#accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  silence(): void {
    for (const state of this.#open) state.silent = true;
  }

  #accept(client: Socket): void {
    this.connections++;
    const state = { silent: false };
    this.#open.add(state);
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      if (state.silent) return;
      if (this.resetRate > 0 && this.#random() < this.resetRate) {
        this.resets++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!state.silent && !client.destroyed) client.write(chunk);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => {
      if (!state.silent) client.destroy();
    });
    client.on('close', () => {
      this.#open.delete(state);
      upstream.destroy();
    });
  }

  /** Stops listening and drops every connection still open (a silenced one stays open otherwise). */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const configVia = (host: string): RestConfig => ({ ...restConfigFor(cluster), host, http2: health });

/**
 * Counts HTTP/2 streams kgo opens to `port`, and those the health check ended (Node's own
 * diagnostics channels), to show what a run exercised.
 */
function countHttp2Streams(port: number): { streams: number; lost: number; stop(): void } {
  const ours = (stream: { session?: { socket?: { remotePort?: number } } }) => stream.session?.socket?.remotePort === port;
  const onCreated = (message: unknown) => {
    if (ours((message as { stream: never }).stream)) counter.streams++;
  };
  const onError = (message: unknown) => {
    const { error } = message as { error?: { code?: string } };
    if (error?.code === 'http2-connection-lost') counter.lost++;
  };
  const counter = {
    streams: 0,
    lost: 0,
    stop: () => {
      unsubscribe('http2.client.stream.created', onCreated);
      unsubscribe('http2.client.stream.error', onError);
    },
  };
  subscribe('http2.client.stream.created', onCreated);
  subscribe('http2.client.stream.error', onError);
  return counter;
}

const admin = new RestClient(configVia(cluster.server), { groupVersion: { group: '', version: 'v1' } });

beforeAll(async () => {
  await admin.post().resource('namespaces').body({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).do();
});
afterAll(async () => {
  await admin.delete().resource('namespaces').name(namespace).do().catch(() => {});
  await admin.close();
});

describe('HTTP/2 through a resetting proxy', () => {
  it('1,500 GETs with ~5 % of calls hit by connection resets: none hangs, all succeed after client-go retries', { timeout: 150_000 }, async () => {
    const proxy = new FaultProxy(0x6b676f);
    const host = await proxy.listen();
    const streams = countHttp2Streams((proxy.server.address() as AddressInfo).port);
    const core = new RestClient(configVia(host), { groupVersion: { group: '', version: 'v1' } });
    proxy.resetRate = 0.05;

    const total = 1500;
    const hangMs = 20_000;
    const stop = new AbortController();
    const durations: number[] = [];
    const failures: unknown[] = [];
    let hung = 0;
    let next = 0;
    const worker = async () => {
      while (next < total && !stop.signal.aborted) {
        next++;
        const watchdog = AbortSignal.any([stop.signal, AbortSignal.timeout(hangMs)]);
        const started = performance.now();
        try {
          await core.get().resource('namespaces').name(namespace).signal(watchdog).do();
        } catch (error) {
          if (watchdog.aborted && !stop.signal.aborted) {
            // One wedged call means the session is wedged: stop rather than wait for all of them.
            hung++;
            stop.abort();
          }
          failures.push(error);
        }
        durations.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    proxy.resetRate = 0;
    streams.stop();
    await core.close();
    await proxy.close();

    const slowest = Math.max(...durations);
    console.info(
      `${durations.length} GETs, ${failures.length} failed, ${proxy.resets} resets over ${proxy.connections} connections, ` +
        `${streams.streams} HTTP/2 streams (${streams.lost} ended by the health check), slowest ${Math.round(slowest)} ms`,
    );
    expect(hung, `a call hung for ${hangMs} ms`).toBe(0);
    expect(durations).toHaveLength(total);
    expect(streams.streams).toBeGreaterThanOrEqual(total);
    expect(proxy.resets).toBeGreaterThan(0);
    // Every GET that lost its connection was replayed (client-go: connection reset, EOF, HTTP/2
    // connection lost); whatever still fails is typed.
    for (const failure of failures) expect(RequestError.isInstance(failure) || StatusError.isInstance(failure)).toBe(true);
    expect(failures.map(String)).toEqual([]);
    expect(slowest).toBeLessThan(hangMs);
  });
});

describe('HTTP/2 health check', () => {
  it('replaces a connection that went silent: a GET on it is retried on a new connection within seconds', async () => {
    const proxy = new FaultProxy(1);
    const core = new RestClient(configVia(await proxy.listen()), { groupVersion: { group: '', version: 'v1' } });
    await core.get().resource('namespaces').name(namespace).do();
    expect(proxy.connections).toBe(1);

    proxy.silence();
    const started = performance.now();
    const got = await core.get().resource('namespaces').name(namespace).signal(AbortSignal.timeout(20_000)).do();
    const elapsed = performance.now() - started;
    expect(got.into<{ metadata: { name: string } }>().metadata.name).toBe(namespace);
    expect(proxy.connections).toBe(2);
    // ≤ 1.5 × read-idle to notice the silence, + ping timeout, + client-go's 1 s before a retry.
    expect(elapsed).toBeLessThan(6000);
    await core.close();
    await proxy.close();
  });

  it('ends a watch on a connection that went silent with an error, instead of waiting forever', async () => {
    const proxy = new FaultProxy(2);
    const core = new RestClient(configVia(await proxy.listen()), { groupVersion: { group: '', version: 'v1' } });
    const watch = await core.get().namespace(namespace).resource('configmaps').watch();
    proxy.silence();
    const started = performance.now();
    const ended = await (async () => {
      try {
        for await (const _ of watch) {
          // no events: nobody writes ConfigMaps in this namespace
        }
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ended).toBeInstanceOf(Error);
    expect((ended as Error).message).toMatch(/HTTP\/2 connection lost: the server did not answer a PING within 1 s/);
    await core.close();
    await proxy.close();
  });

  it('keeps a quiet watch on a healthy connection: the server answers the pings', async () => {
    const proxy = new FaultProxy(3);
    const core = new RestClient(configVia(await proxy.listen()), { groupVersion: { group: '', version: 'v1' } });
    const watch = await core.get().namespace(namespace).resource('configmaps').watch<ConfigMap>();
    // Several read-idle periods with no event: pings go out and are answered.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await core.post().namespace(namespace).resource('configmaps').body({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-quiet' } }).do();
    for await (const event of watch) {
      expect(event.type).toBe('ADDED');
      expect((event.object as ConfigMap).metadata.name).toBe('after-quiet');
      break;
    }
    expect(proxy.connections).toBe(1);
    await core.close();
    await proxy.close();
  });
});

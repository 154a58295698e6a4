/*
 * silencePort on the real kernel: a silenced port drops packets both ways without the kernel
 * answering (TCP keep-alive gives up with ETIMEDOUT), other ports are untouched, restore lets
 * the queued bytes through, and rules left by a dead process are cleared. Needs CAP_NET_ADMIN
 * and iproute2, as kgo's CI and development machines have.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { clearStaleSilences, SILENCE_DEVICE, type SilencedPort, silencePort } from './silent-port.ts';

const run = promisify(execFile);

interface Pair {
  server: Server;
  port: number;
  client: Socket;
  accepted: Socket;
  received: Buffer[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server and one connection to it; what the server receives is collected. */
async function pair(): Promise<Pair> {
  const received: Buffer[] = [];
  let accept: (socket: Socket) => void = () => {};
  const accepted = new Promise<Socket>((resolve) => (accept = resolve));
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {});
    accept(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = connect(port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise((resolve) => client.once('connect', resolve));
  const result = { server, port, client, accepted: await accepted, received };
  cleanups.push(() => {
    client.destroy();
    result.accepted.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return result;
}

async function silenced(port: number): Promise<SilencedPort> {
  const silence = await silencePort(port);
  cleanups.push(() => silence.restore());
  return silence;
}

const rulePorts = async () => (await run('tc', ['filter', 'show', 'dev', 'lo', 'ingress'])).stdout;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('silencePort', () => {
  it('drops bytes both ways on that port only, and lets them through after restore', async () => {
    const quiet = await pair();
    const other = await pair();
    const silence = await silenced(quiet.port);
    expect(await rulePorts()).toContain(`pref ${quiet.port} `);

    quiet.client.write('to server');
    other.client.write('still flows');
    const back: Buffer[] = [];
    quiet.client.on('data', (chunk: Buffer) => back.push(chunk));
    quiet.accepted.write('to client');
    await sleep(700);
    expect(Buffer.concat(quiet.received).toString()).toBe('');
    expect(Buffer.concat(back).toString()).toBe('');
    expect(Buffer.concat(other.received).toString()).toBe('still flows');
    expect(quiet.client.destroyed).toBe(false);

    await silence.restore();
    expect(await rulePorts()).not.toContain(`pref ${quiet.port} `);
    // TCP retransmits what was lost (backoff from 200 ms): both sides get their bytes.
    const deadline = performance.now() + 10_000;
    while ((quiet.received.length === 0 || back.length === 0) && performance.now() < deadline) await sleep(100);
    expect(Buffer.concat(quiet.received).toString()).toBe('to server');
    expect(Buffer.concat(back).toString()).toBe('to client');
  });

  it('the kernel does not answer for the silent peer: TCP keep-alive ends the connection with ETIMEDOUT', { timeout: 30_000 }, async () => {
    const quiet = await pair();
    // libuv (Node ≥ 22.x, libuv ≥ 1.49) probes every 1 s, 10 times, after the idle delay.
    quiet.client.setKeepAlive(true, 1000);
    quiet.client.resume();
    await silenced(quiet.port);
    const started = performance.now();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => quiet.client.once('error', resolve));
    const seconds = (performance.now() - started) / 1000;
    expect(error.code).toBe('ETIMEDOUT');
    expect(seconds).toBeGreaterThan(8);
    expect(seconds).toBeLessThan(16);
  });

  it('refuses a port silenced twice, and clears rules whose owner died', async () => {
    const quiet = await pair();
    await silenced(quiet.port);
    await expect(silencePort(quiet.port)).rejects.toThrow(`port ${quiet.port} is already silenced by this process`);

    // A rule as a process killed before its teardown leaves it.
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid;
    await new Promise((resolve) => dead.once('exit', resolve));
    const stale = await pair();
    await run('tc', ['filter', 'add', 'dev', 'lo', 'ingress', 'protocol', 'ip', 'pref', String(stale.port), 'u32', 'match', 'ip', 'dport', String(stale.port), '0xffff',
      'action', 'mirred', 'egress', 'redirect', 'dev', SILENCE_DEVICE]);
    cleanups.push(async () => void (await run('tc', ['filter', 'del', 'dev', 'lo', 'ingress', 'pref', String(stale.port)]).catch(() => {})));
    await mkdir('/tmp/kgo-silenced-ports', { recursive: true });
    await writeFile(`/tmp/kgo-silenced-ports/${stale.port}`, `${deadPid}\n`);

    expect(await clearStaleSilences()).toBeGreaterThanOrEqual(1);
    const rules = await rulePorts();
    expect(rules).not.toContain(`pref ${stale.port} `);
    // The live process's rule stays.
    expect(rules).toContain(`pref ${quiet.port} `);
  });

  it('rejects what is not a port', async () => {
    await expect(silencePort(0)).rejects.toThrow(RangeError);
    await expect(silencePort(70_000)).rejects.toThrow('not a TCP port');
  });
});

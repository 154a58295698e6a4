/*
 * A loopback port whose TCP traffic vanishes: no byte, no ACK, no FIN, no RST gets through in
 * either direction, as when a NAT, a firewall or a failed-over load balancer forgets a
 * connection. Stopping to forward in user space is not enough for this: the kernel would still
 * answer TCP keep-alive probes. So the packets are dropped by the kernel, with tc on `lo`.
 *
 * How: a clsact qdisc on `lo` (it adds a hook and leaves lo's queueing alone) and, on its
 * ingress hook, u32 filters matching the one port as source or destination, whose action
 * redirects the packet to `kgo-silence`, an ifb device kept down, where it is dropped. Dropping
 * on ingress matters: the sender's transmit succeeded, so its TCP sees a silent peer (a drop on
 * egress reports local congestion, and TCP then probes forever without giving up). netem and
 * gact would be the usual tools; many kernels (CI's VMs included) have neither, mirred and u32
 * are common.
 *
 * Each silenced port's filters share one preference number (the port), and the owning process
 * is recorded in a file, so that rules left by a process that died are found and removed.
 * Needs CAP_NET_ADMIN and iproute2 (`tc`, `ip`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EnvtestError } from './errors.ts';

const run = promisify(execFile);

/** The down ifb device silenced packets are sent to (and dropped at). */
export const SILENCE_DEVICE = 'kgo-silence';
// Machine-wide, as tc rules on lo are: owners of silenced ports, one file per port holding the pid.
const OWNERS_DIR = '/tmp/kgo-silenced-ports';

const active = new Map<number, SilencedPort>();
let exitHookInstalled = false;

/**
 * A loopback port made silent by {@link silencePort}: every packet to or from it is dropped
 * until {@link SilencedPort.restore}.
 */
export class SilencedPort {
  /** The silenced TCP port on 127.0.0.1. */
  readonly port: number;
  #restored = false;

  /** @internal Made by {@link silencePort}. */
  constructor(port: number) {
    this.port = port;
  }

  /** Lets the port's traffic through again (connections that timed out meanwhile stay closed). Idempotent. */
  async restore(): Promise<void> {
    if (this.#restored) return;
    this.#restored = true;
    active.delete(this.port);
    await removeRule(this.port);
  }
}

/**
 * Drops every IPv4 packet to or from TCP port `port` on loopback, both directions, from now on:
 * open connections through it go silent (no FIN, no RST, no ACK), new ones cannot connect (their
 * SYN is lost). Only that port is touched. Call {@link SilencedPort.restore} in teardown; rules
 * left by a process that died are removed by the next call (or {@link clearStaleSilences}).
 *
 * Needs CAP_NET_ADMIN (root, or a container with it) and iproute2's `tc` and `ip`, and a kernel
 * with the clsact qdisc, the u32 classifier, the mirred action and ifb devices; otherwise throws
 * an {@link EnvtestError} that says which.
 */
export async function silencePort(port: number): Promise<SilencedPort> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`silencePort: ${port} is not a TCP port`);
  if (active.has(port)) throw new EnvtestError(`silencePort: port ${port} is already silenced by this process`);
  await clearStaleSilences();
  await ensureHook();
  if ((await kgoRulePorts()).has(port)) {
    throw new EnvtestError(`silencePort: port ${port} is already silenced by another live process (see ${OWNERS_DIR}/${port})`);
  }
  await mkdir(OWNERS_DIR, { recursive: true });
  await writeFile(join(OWNERS_DIR, String(port)), `${process.pid}\n`);
  try {
    for (const direction of ['sport', 'dport']) {
      await tc(['filter', 'add', 'dev', 'lo', 'ingress', 'protocol', 'ip', 'pref', String(port), 'u32', 'match', 'ip', direction, String(port), '0xffff',
        'action', 'mirred', 'egress', 'redirect', 'dev', SILENCE_DEVICE]);
    }
  } catch (error) {
    await removeRule(port);
    throw error;
  }
  const silenced = new SilencedPort(port);
  active.set(port, silenced);
  installExitHook();
  return silenced;
}

/**
 * Removes kgo's silence rules whose owning process is gone (killed before its teardown ran).
 * Returns how many ports it let through again. Needs the same privileges as {@link silencePort}.
 */
export async function clearStaleSilences(): Promise<number> {
  if (!(await hookInstalled())) return 0;
  let cleared = 0;
  for (const port of await kgoRulePorts()) {
    if (active.has(port)) continue;
    const owner = Number((await readFile(join(OWNERS_DIR, String(port)), 'utf8').catch(() => '')).trim());
    if (owner > 0 && alive(owner)) continue;
    await removeRule(port);
    cleared++;
  }
  // Owner files without a rule (a process that died between the two) are dropped too.
  for (const name of await readdir(OWNERS_DIR).catch(() => [] as string[])) {
    const owner = Number((await readFile(join(OWNERS_DIR, name), 'utf8').catch(() => '')).trim());
    if (!active.has(Number(name)) && !(owner > 0 && alive(owner))) await rm(join(OWNERS_DIR, name), { force: true });
  }
  return cleared;
}

async function removeRule(port: number): Promise<void> {
  // "Cannot find specified filter chain" when the rule is already gone: nothing to do.
  await tc(['filter', 'del', 'dev', 'lo', 'ingress', 'pref', String(port)]).catch(() => undefined);
  await rm(join(OWNERS_DIR, String(port)), { force: true });
}

/** The ports that have kgo silence rules now (from `tc filter show`). */
async function kgoRulePorts(): Promise<Set<number>> {
  const output = await tc(['filter', 'show', 'dev', 'lo', 'ingress']);
  const ports = new Set<number>();
  let pref: number | undefined;
  for (const line of output.split('\n')) {
    const match = /\bpref (\d+)\b/.exec(line);
    if (match) pref = Number(match[1]);
    else if (pref !== undefined && line.includes(SILENCE_DEVICE)) ports.add(pref);
  }
  return ports;
}

async function hookInstalled(): Promise<boolean> {
  return (await tc(['qdisc', 'show', 'dev', 'lo'])).includes('clsact') && existsSync(`/sys/class/net/${SILENCE_DEVICE}`);
}

/** The clsact hook on lo and the down device to drop into; both stay (harmless) after the rules go. */
async function ensureHook(): Promise<void> {
  if (!existsSync(`/sys/class/net/${SILENCE_DEVICE}`)) {
    // Another process may create it at the same moment: only a device still missing is an error.
    await command('ip', ['link', 'add', SILENCE_DEVICE, 'type', 'ifb']).catch((error: unknown) => {
      if (!existsSync(`/sys/class/net/${SILENCE_DEVICE}`)) throw error;
    });
  }
  if (!(await tc(['qdisc', 'show', 'dev', 'lo'])).includes('clsact')) {
    await tc(['qdisc', 'add', 'dev', 'lo', 'clsact']).catch(async (error: unknown) => {
      if (!(await tc(['qdisc', 'show', 'dev', 'lo'])).includes('clsact')) throw error;
    });
  }
}

function tc(args: string[]): Promise<string> {
  return command('tc', args);
}

async function command(name: 'tc' | 'ip', args: string[]): Promise<string> {
  const path = binary(name);
  try {
    return (await run(path, args)).stdout;
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === 'ENOENT') {
      throw new EnvtestError(`silencePort: iproute2's ${name} is not installed (looked in PATH, /usr/sbin, /sbin): install iproute2`, { cause: error });
    }
    const detail = (stderr ?? '').trim().split('\n')[0] ?? '';
    const hint = /Operation not permitted|EPERM|permission/i.test(detail)
      ? 'it needs CAP_NET_ADMIN: run as root, or give the container NET_ADMIN'
      : 'the kernel needs the clsact qdisc, the u32 classifier, the mirred action and ifb devices';
    throw new EnvtestError(`silencePort: \`${name} ${args.join(' ')}\` failed: ${detail || String(error)} (${hint})`, { cause: error });
  }
}

function binary(name: string): string {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (existsSync(join(dir, name))) return join(dir, name);
  return name;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** A process that exits without its teardown (an uncaught error, process.exit) still lifts its silences. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const port of active.keys()) {
      try {
        execFileSync(binary('tc'), ['filter', 'del', 'dev', 'lo', 'ingress', 'pref', String(port)], { stdio: 'ignore' });
      } catch {
        // Already gone; the next silencePort would clear it anyway.
      }
    }
  });
}

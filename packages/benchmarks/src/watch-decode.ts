/**
 * Watch decoding speed: how fast events from a watch stream reach the caller, kgo next to the
 * floor. A local HTTP server on loopback (src/watch-server.ts, a child process) streams N small
 * ConfigMap events, newline-terminated; in the same run, taking turns, three readers consume it:
 *
 * - `raw`: undici `request()`, the body as text, split on '\n', `JSON.parse` per line (the floor);
 * - `kgo-stream`: kgo's `Request.stream()`, decoded and split the same way (kgo's transport);
 * - `kgo-watch`: kgo's `Request.watch()`, `for await` over the events (transport + decoder).
 *
 * Each reader touches every event's `object.metadata.name`. Then one large event (1 and 4 MiB)
 * through `Watch` from memory, in one chunk and in 16 KiB chunks, next to `JSON.parse` alone.
 *
 *   node --conditions=@kgo/source src/watch-decode.ts           # 100,000 events, 7 rounds
 *   node --conditions=@kgo/source src/watch-decode.ts --quick   # 20,000 events, 3 rounds
 *
 * Settings: KGO_WATCH_BENCH_EVENTS, KGO_WATCH_BENCH_ROUNDS. Prints markdown on stdout (progress
 * on stderr) and, unless --quick, writes results/watch-decode-<date>.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RestClient, Watch } from '@kgo/rest';
import { Agent, request } from 'undici';
import { median } from './stats.ts';

const quick = process.argv.includes('--quick');
const settings = {
  events: numberFromEnv('KGO_WATCH_BENCH_EVENTS', quick ? 20_000 : 100_000),
  rounds: numberFromEnv('KGO_WATCH_BENCH_ROUNDS', quick ? 3 : 7),
  chunkings: ['event', '16k'] as const,
  largeEventsMiB: [1, 4],
  largeChunkBytes: 16 * 1024,
};

type Chunking = (typeof settings.chunkings)[number];
const READERS = ['raw', 'kgo-stream', 'kgo-watch'] as const;
type ReaderName = (typeof READERS)[number];
type Reader = (chunking: Chunking) => Promise<number>;

interface WatchedObject {
  metadata: { name: string };
}

const log = (line: string) => console.error(line);

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const { server, host, bytes } = await startServer(settings.events);
  log(`server: ${settings.events} events, ${(bytes / settings.events).toFixed(0)} bytes each, at ${host}`);
  const agent = new Agent();
  const client = new RestClient({ host, qps: -1 }, { groupVersion: { group: '', version: 'v1' } });
  const readers: Record<ReaderName, Reader> = {
    raw: (chunking) => readRaw(agent, `${host}/api/v1/namespaces/bench/configmaps?watch=true&chunking=${chunking}`),
    'kgo-stream': (chunking) => readKgoStream(client, chunking),
    'kgo-watch': (chunking) => readKgoWatch(client, chunking),
  };
  try {
    const streaming: StreamingRow[] = [];
    for (const chunking of settings.chunkings) {
      // Warm-up: connections, JIT.
      for (const name of READERS) await timed(() => readers[name](chunking));
      const runs = new Map<ReaderName, { eventsPerSecond: number; cpuUsPerEvent: number }[]>(READERS.map((name) => [name, []]));
      for (let round = 0; round < settings.rounds; round++) {
        // Rotate the order each round, so no reader always runs right after the same other one.
        const order = READERS.map((_, i) => READERS[(i + round) % READERS.length] as ReaderName);
        for (const name of order) {
          const run = await timed(() => readers[name](chunking));
          runs.get(name)?.push(run);
          log(`${chunking.padEnd(5)} round ${round + 1}: ${name.padEnd(10)} ${Math.round(run.eventsPerSecond / 1000)}k events/s, client CPU ${run.cpuUsPerEvent.toFixed(2)} µs/event`);
        }
      }
      for (const [reader, list] of runs) {
        streaming.push({
          chunking,
          reader,
          eventsPerSecond: list.map((run) => Math.round(run.eventsPerSecond)),
          medianEventsPerSecond: median(list.map((run) => run.eventsPerSecond)),
          bestEventsPerSecond: Math.max(...list.map((run) => run.eventsPerSecond)),
          cpuUsPerEvent: list.map((run) => Number(run.cpuUsPerEvent.toFixed(3))),
          medianCpuUsPerEvent: median(list.map((run) => run.cpuUsPerEvent)),
          bestCpuUsPerEvent: Math.min(...list.map((run) => run.cpuUsPerEvent)),
        });
      }
    }
    const large = await largeEvents();
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 } },
      settings: { ...settings, quick, bytesPerEvent: Math.round(bytes / settings.events) },
      streaming,
      large,
    };
    process.stdout.write(format(report));
    if (!quick) {
      const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
      await mkdir(resultsDir, { recursive: true });
      const file = join(resultsDir, `watch-decode-${report.date.slice(0, 10)}.json`);
      await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
      log(`\nwrote ${file}`);
    }
  } finally {
    await client.close();
    await agent.close();
    server.disconnect();
  }
}

/** Runs one read of the whole stream: events per second (wall clock) and client CPU per event. */
async function timed(read: () => Promise<number>): Promise<{ eventsPerSecond: number; cpuUsPerEvent: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = await read();
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (count !== settings.events) throw new Error(`read ${count} events, expected ${settings.events}`);
  return { eventsPerSecond: (count / elapsed) * 1000, cpuUsPerEvent: (used.user + used.system) / count };
}

/** The floor: undici.request, text, split on newlines, JSON.parse. */
async function readRaw(agent: Agent, url: string): Promise<number> {
  const response = await request(url, { dispatcher: agent, headers: { accept: 'application/json' } });
  if (response.statusCode !== 200) throw new Error(`raw: ${response.statusCode}`);
  response.body.setEncoding('utf8');
  let count = 0;
  let rest = '';
  for await (const text of response.body as AsyncIterable<string>) {
    const lines = (rest + text).split('\n');
    rest = lines.pop() as string;
    for (const line of lines) if (line) count += touch((JSON.parse(line) as { object: WatchedObject }).object);
  }
  return count;
}

/** kgo's transport: Request.stream(), then the same split and JSON.parse as the floor. */
async function readKgoStream(client: RestClient, chunking: Chunking): Promise<number> {
  const body = await client.get().namespace('bench').resource('configmaps').param('watch', 'true').param('chunking', chunking).stream();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let count = 0;
  let rest = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const lines = (rest + decoder.decode(chunk.value, { stream: true })).split('\n');
    rest = lines.pop() as string;
    for (const line of lines) if (line) count += touch((JSON.parse(line) as { object: WatchedObject }).object);
  }
  return count;
}

/** kgo's watch: Request.watch() and its decoder. */
async function readKgoWatch(client: RestClient, chunking: Chunking): Promise<number> {
  const watch = await client.get().namespace('bench').resource('configmaps').param('chunking', chunking).watch<WatchedObject>();
  let count = 0;
  for await (const event of watch) count += touch(event.object as WatchedObject);
  return count;
}

/** What every reader does with an event: look at it. */
function touch(object: WatchedObject): number {
  if (typeof object.metadata.name !== 'string') throw new Error('an event without a name');
  return 1;
}

interface StreamingRow {
  chunking: Chunking;
  reader: ReaderName;
  eventsPerSecond: number[];
  medianEventsPerSecond: number;
  /** The best round: on a busy machine, the closest to the reader's own cost. */
  bestEventsPerSecond: number;
  cpuUsPerEvent: number[];
  medianCpuUsPerEvent: number;
  bestCpuUsPerEvent: number;
}

interface LargeRow {
  mebibytes: number;
  bytes: number;
  /** Through Watch, the event in one chunk / in 16 KiB chunks; JSON.parse of its text alone. Each run, ms. */
  oneChunkMs: number[];
  chunkedMs: number[];
  jsonParseMs: number[];
}

/** One large event through Watch from memory, in one chunk and in 16 KiB chunks, interleaved. */
async function largeEvents(): Promise<LargeRow[]> {
  const rows: LargeRow[] = [];
  for (const mebibytes of settings.largeEventsMiB) {
    const event = largeEvent(mebibytes * 1024 * 1024);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < event.length; at += settings.largeChunkBytes) chunks.push(event.subarray(at, at + settings.largeChunkBytes));
    const row: LargeRow = { mebibytes, bytes: event.length, oneChunkMs: [], chunkedMs: [], jsonParseMs: [] };
    for (let run = 0; run < Math.max(5, settings.rounds); run++) {
      row.oneChunkMs.push(await watchFromMemory([event]));
      row.chunkedMs.push(await watchFromMemory(chunks));
      const started = performance.now();
      JSON.parse(new TextDecoder().decode(event));
      row.jsonParseMs.push(performance.now() - started);
    }
    log(`large ${mebibytes} MiB: one chunk ${fmt(median(row.oneChunkMs))} ms, 16 KiB chunks ${fmt(median(row.chunkedMs))} ms, JSON.parse ${fmt(median(row.jsonParseMs))} ms`);
    rows.push(row);
  }
  return rows;
}

/** A ConfigMap event of about `bytes` bytes: many keys, values with quotes, braces and escapes. */
function largeEvent(bytes: number): Uint8Array {
  const data: Record<string, string> = {};
  const value = `line {1}\n"quoted" \\ ${'x'.repeat(80)}`;
  for (let i = 0; i * 110 < bytes; i++) data[`key-${i}`] = value;
  return new TextEncoder().encode(`${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'large' }, data } })}\n`);
}

async function watchFromMemory(chunks: Uint8Array[]): Promise<number> {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  });
  const started = performance.now();
  let count = 0;
  for await (const event of new Watch<WatchedObject>(body, new AbortController(), { verb: 'GET', url: 'memory' })) count += touch(event.object as WatchedObject);
  const elapsed = performance.now() - started;
  if (count !== 1) throw new Error(`large event: ${count} events`);
  return elapsed;
}

function startServer(events: number): Promise<{ server: ChildProcess; host: string; bytes: number }> {
  const script = fileURLToPath(new URL('./watch-server.ts', import.meta.url));
  const server = fork(script, [String(events)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`the watch server exited (${code})`)));
    server.once('message', (message) => {
      const { port, bytes } = message as { port: number; bytes: number };
      resolve({ server, host: `http://127.0.0.1:${port}`, bytes });
    });
  });
}

function format(report: {
  machine: { loadAverage: { before: number; after: number } };
  settings: { events: number; rounds: number; bytesPerEvent: number };
  streaming: StreamingRow[];
  large: LargeRow[];
}): string {
  const { events, rounds, bytesPerEvent } = report.settings;
  const lines = [
    `## Watch decoding: ${events.toLocaleString('en')} events of ${bytesPerEvent} B, ${rounds} rounds (load average ${report.machine.loadAverage.before.toFixed(1)} → ${report.machine.loadAverage.after.toFixed(1)})`,
    '',
    'Median round (best round in brackets); ratios to raw of the same chunking.',
    '',
    '| chunking | reader | events/s | × raw | client CPU µs/event | × raw |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of report.streaming) {
    const raw = report.streaming.find((other) => other.chunking === row.chunking && other.reader === 'raw') as StreamingRow;
    const k = (perSecond: number) => `${Math.round(perSecond / 1000)}k`;
    const ratio = (value: number, floor: number) => (value / floor).toFixed(2);
    lines.push(
      `| ${row.chunking} | ${row.reader} | ${k(row.medianEventsPerSecond)} (${k(row.bestEventsPerSecond)}) | ` +
        `${ratio(row.medianEventsPerSecond, raw.medianEventsPerSecond)} (${ratio(row.bestEventsPerSecond, raw.bestEventsPerSecond)}) | ` +
        `${row.medianCpuUsPerEvent.toFixed(2)} (${row.bestCpuUsPerEvent.toFixed(2)}) | ` +
        `${ratio(row.medianCpuUsPerEvent, raw.medianCpuUsPerEvent)} (${ratio(row.bestCpuUsPerEvent, raw.bestCpuUsPerEvent)}) |`,
    );
  }
  lines.push('', '## One large event through Watch (median ms)', '', '| size | one chunk | 16 KiB chunks | JSON.parse alone |', '| --- | ---: | ---: | ---: |');
  for (const row of report.large) {
    lines.push(`| ${row.mebibytes} MiB | ${fmt(median(row.oneChunkMs))} | ${fmt(median(row.chunkedMs))} | ${fmt(median(row.jsonParseMs))} |`);
  }
  return `${lines.join('\n')}\n`;
}

function fmt(ms: number): string {
  return ms.toFixed(ms < 10 ? 1 : 0);
}

function numberFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

await main();

import { loadavg } from 'node:os';
import { PatchType } from '@kgo/rest';
import { adminClient, createConfigMaps, ensureNamespace, informerNamespace } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import type { JobResult } from '../job.ts';
import { type Row, type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext } from './context.ts';

/** kgo's row runs as the `kgo-typed` worker: @kgo/informer over the @kgo/typed client (src/informer-task.ts). */
const IMPLEMENTATIONS: { implementation: Implementation; row: string }[] = [
  { implementation: 'kgo-typed', row: 'kgo' },
  { implementation: 'client-node', row: 'client-node' },
  { implementation: 'client-go', row: 'client-go' },
];

/** The label the writer sets on the cached objects; its value names the worker run. */
const UPDATE_LABEL = 'kgo-bench-update';

/**
 * One shared informer on informerItems ConfigMaps (~2 KB each, a namespace of their own): a
 * worker process per implementation per round, implementations taking turns in a rotating order.
 * Each worker measures its baseline (library loaded, client made), starts the informer, and
 * reports time to synced, the live heap and RSS it then holds, and `READY`; this process then
 * patches informerUpdates of the cached objects at the concurrency (a merge patch of one label
 * whose value is new for this worker run), and the worker counts the update events that carry it
 * until all have arrived. Three results from the same workers: sync, memory and update events.
 */
export async function informerScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  const { settings } = context;
  const implementations = IMPLEMENTATIONS.filter(({ implementation }) => available(settings, [implementation]).length > 0);
  const items = settings.informerItems;
  const updates = settings.informerUpdates;
  // Each object is patched once per worker run: a second patch with the same label would change nothing (no event).
  if (updates > items) throw new Error(`KGO_BENCH_INFORMER_UPDATES=${updates} is more than the ${items} cached objects: each object is updated once`);
  const namespace = informerNamespace(items);
  const admin = adminClient(context.connection);
  const before = loadAverage1();
  const started = performance.now();
  const workers = new Map<string, JobResult[]>(implementations.map(({ row }) => [row, []]));
  const writerRates: number[] = [];
  try {
    await ensureNamespace(admin, namespace);
    context.log(`informer: ${items} ConfigMaps of ~${settings.dataBytes} bytes of data in ${namespace}…`);
    await createConfigMaps(admin, namespace, items, settings.dataBytes, context.log);
    const patch = async (token: string) => {
      const body = { metadata: { labels: { [UPDATE_LABEL]: token } } };
      let next = 0;
      const writer = async () => {
        for (let i = next++; i < updates; i = next++) {
          const name = `cm-${String(i).padStart(5, '0')}`;
          await admin.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name(name).body(body).do();
        }
      };
      const writeStarted = performance.now();
      await Promise.all(Array.from({ length: settings.concurrency }, writer));
      return (updates / (performance.now() - writeStarted)) * 1000;
    };
    for (let round = 0; round < settings.rounds; round++) {
      for (const { implementation, row } of rotated(implementations, round)) {
        const token = `${row}-${round}-${Date.now()}`;
        let writing: Promise<number> | undefined;
        const job = runJob(
          context.runner,
          implementation,
          { ...context.job, task: 'informer', namespace, expectedItems: items, updates, updateLabel: UPDATE_LABEL, updateToken: token },
          {
            onReady: () => {
              writing = patch(token);
              // Awaited below, after the worker: not an unhandled rejection meanwhile.
              writing.catch(() => undefined);
            },
          },
        );
        // A worker that fails stops the run; a writer that fails does too, once the worker has ended.
        const result = await job;
        if (!writing) throw new Error(`informer: ${row} ended without reporting READY`);
        writerRates.push(await writing);
        workers.get(row)?.push(result);
        context.log(
          `informer round ${round + 1}: ${row.padEnd(12)} synced in ${Math.round(result.syncMs ?? 0)} ms (${Math.round(result.syncCpuMs ?? 0)} ms CPU), ` +
            `${Math.round(perObject(result, 'heap'))} B heap and ${Math.round(perObject(result, 'rss'))} B RSS per object, peak RSS ${Math.round(result.peakRssKiB / 1024)} MiB; ` +
            `${Math.round(eventsPerSecond(result))} update events/s, ${(((result.updateCpuMs ?? 0) * 1000) / updates).toFixed(1)} µs CPU/event`,
        );
      }
    }
  } finally {
    await admin.close();
  }
  const loadAverage = { before, after: loadAverage1() };
  const seconds = Math.round((performance.now() - started) / 1000);
  const rows = (metrics: (results: JobResult[]) => Row['metrics'], notes?: (row: string) => Row['notes'] | undefined): Row[] =>
    implementations.map(({ row }) => {
      const rowNotes = notes?.(row);
      return { implementation: row, metrics: metrics(workers.get(row) ?? []), ...(rowNotes ? { notes: rowNotes } : {}) };
    });
  const writer = stat(writerRates);
  return [
    {
      id: 'informer-sync',
      loadAverage,
      seconds,
      rows: rows(
        (results) => ({
          ms: stat(results.map((result) => result.syncMs ?? Number.NaN)),
          cpuMs: stat(results.map((result) => result.syncCpuMs ?? Number.NaN)),
          peakRssMiB: stat(results.map((result) => result.peakRssKiB / 1024)),
        }),
        (row) => ({ sync: row === 'client-node' ? 'LIST, then a watch' : 'watch-list (the default)' }),
      ),
    },
    {
      id: 'informer-memory',
      loadAverage,
      seconds,
      rows: rows((results) => ({
        heapPerObjectB: stat(results.map((result) => perObject(result, 'heap'))),
        rssPerObjectB: stat(results.map((result) => perObject(result, 'rss'))),
        baseRssMiB: stat(results.map((result) => (result.baseRssKiB ?? Number.NaN) / 1024)),
        rssMiB: stat(results.map((result) => (result.rssKiB ?? Number.NaN) / 1024)),
      })),
    },
    {
      id: 'informer-events',
      loadAverage,
      seconds,
      rows: rows(
        (results) => ({
          eventsPerSecond: stat(results.map(eventsPerSecond)),
          cpuUs: stat(results.map((result) => ((result.updateCpuMs ?? Number.NaN) * 1000) / updates)),
        }),
        // One writer rate for the scenario: on the first row only.
        (row) => (row === implementations[0]?.row ? { 'writer patches/s (median of all runs)': Math.round(writer.median) } : undefined),
      ),
    },
  ];
}

/**
 * What the synced cache holds per object, bytes: (once synced − before the informer started) /
 * objects, of the live heap after a full GC (Node: heapUsed + external; Go: HeapAlloc) or of VmRSS.
 */
function perObject(result: JobResult, of: 'heap' | 'rss'): number {
  const cached = result.cached ?? Number.NaN;
  if (of === 'heap') return ((result.heapBytes ?? Number.NaN) - (result.baseHeapBytes ?? Number.NaN)) / cached;
  return (((result.rssKiB ?? Number.NaN) - (result.baseRssKiB ?? Number.NaN)) * 1024) / cached;
}

/** Update events from the first to the last, per second. */
const eventsPerSecond = (result: JobResult) => ((result.events ?? 0) / (result.ms ?? Number.NaN)) * 1000;

const loadAverage1 = () => loadavg()[0] ?? 0;

import { RestClient } from '@kgo/rest';
import { coreV1Protobuf } from '@kgo/typed/core/v1/protobuf';
import { findApiServerPid, processCpuMs } from '../apiserver-cpu.ts';
import { type ByteCountingProxy, startByteCountingProxy } from '../byte-counting-proxy.ts';
import { adminClient, createConfigMaps, ensureNamespace, informerNamespace, listNamespace } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import type { Job, JobResult } from '../job.ts';
import { createPods, podsNamespace } from '../pod-fixtures.ts';
import { type Row, type ScenarioId, type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext, timedScenario } from './context.ts';

/** A row: an implementation with its wire format pinned. */
interface WireRow {
  row: string;
  implementation: Implementation;
  wire: 'json' | 'protobuf';
}

/** kgo's rows are @kgo/typed (src/wire-task.ts); client-go's the Go program with its rest config's ContentType set. */
const ROWS: WireRow[] = [
  { row: 'kgo-typed-json', implementation: 'kgo-typed', wire: 'json' },
  { row: 'kgo-typed-protobuf', implementation: 'kgo-typed', wire: 'protobuf' },
  { row: 'client-go-json', implementation: 'client-go', wire: 'json' },
  { row: 'client-go-protobuf', implementation: 'client-go', wire: 'protobuf' },
];

/** One worker's task and how many operations (lists, watches) it performs, warm-up included. */
interface Task {
  id: ScenarioId;
  job: Omit<Job, keyof ScenarioContext['job'] | 'wire'>;
  operations: number;
  /** The uncompressed response body of one LIST in each format (none for the watch: it is not compressed). */
  bodyBytes?: Record<'json' | 'protobuf', number>;
}

/**
 * Issue #15's measurement: JSON against protobuf end to end, kgo (@kgo/typed) and client-go, each
 * in both formats, every worker a process of its own talking to the server through a loopback
 * byte-counting proxy (src/byte-counting-proxy.ts), rows taking turns in a rotating order:
 *
 * - `protobuf-list-configmaps`: the list scenario's listItems ConfigMaps (~2 KB each), one LIST
 *   (no paging), one warm-up then listRuns timed per worker;
 * - `protobuf-list-pods`: podItems realistic Pending Pods (src/pod-fixtures.ts), the same way;
 * - `protobuf-watch`: a watch of a namespace holding exactly watchEvents ConfigMaps (~2 KB each)
 *   from `resourceVersion=0`: the server replays one ADDED event per object from its watch cache,
 *   as fast as it sends and the client decodes — the same events for every row, no writer to
 *   wait for or to charge to the server. One untimed warm-up watch, then the timed one.
 *
 * Per operation: the client's wall and CPU time (the timed ones), the bytes the server sent
 * (TLS, headers, gzip where the server compressed: the LISTs are over its 128 KiB threshold and
 * every client asks for gzip; watch streams are never compressed) and the kube-apiserver's CPU
 * time (/proc/<pid>/stat, src/apiserver-cpu.ts), both over the whole worker divided by its
 * operations (warm-up included: the server does the same work for it); and the worker's peak RSS.
 */
export async function protobufScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  const { settings } = context;
  const rows = ROWS.filter(({ implementation }) => available(settings, [implementation]).length > 0);
  const admin = adminClient(context.connection);
  const apiServerPid = findApiServerPid(context.connection.server);
  if (apiServerPid === undefined) context.log(`protobuf: no kube-apiserver process for ${context.connection.server} on this machine: no API-server CPU figures`);
  const proxy = await startByteCountingProxy(context.connection.server);
  try {
    const configMapNamespace = listNamespace(settings.listItems);
    const podNamespace = podsNamespace(settings.podItems);
    const watchNamespace = informerNamespace(settings.watchEvents);
    for (const namespace of [configMapNamespace, watchNamespace]) await ensureNamespace(admin, namespace);
    await createConfigMaps(admin, configMapNamespace, settings.listItems, settings.dataBytes, context.log);
    await createConfigMaps(admin, watchNamespace, settings.watchEvents, settings.dataBytes, context.log);
    await createPods(admin, settings.podItems, context.log);

    const tasks: Task[] = [
      {
        id: 'protobuf-list-configmaps',
        job: { task: 'list', resource: 'configmaps', namespace: configMapNamespace, expectedItems: settings.listItems, runs: settings.listRuns },
        operations: settings.listRuns + 1,
        bodyBytes: await bodySizes(context, configMapNamespace, 'configmaps'),
      },
      {
        id: 'protobuf-list-pods',
        job: { task: 'list', resource: 'pods', namespace: podNamespace, expectedItems: settings.podItems, runs: settings.listRuns },
        operations: settings.listRuns + 1,
        bodyBytes: await bodySizes(context, podNamespace, 'pods'),
      },
      {
        id: 'protobuf-watch',
        job: { task: 'watch', namespace: watchNamespace, resourceVersion: '0', events: settings.watchEvents, warmupRuns: 1 },
        operations: 2,
      },
    ];
    const results: ScenarioResult[] = [];
    for (const task of tasks) results.push(await timedScenario(task.id, () => runTask(context, rows, task, proxy, apiServerPid)));
    return results;
  } finally {
    await proxy.close();
    await admin.close();
  }
}

/** The uncompressed size of one LIST's response body as JSON and as protobuf (for the notes). */
async function bodySizes(context: ScenarioContext, namespace: string, resource: string): Promise<Record<'json' | 'protobuf', number>> {
  const { connection } = context;
  const identity = new RestClient(
    { host: connection.server, tls: { caData: connection.caCert, certData: connection.cert, keyData: connection.key }, qps: -1, disableCompression: true },
    { groupVersion: { group: '', version: 'v1' } },
  );
  try {
    const json = await identity.get().namespace(namespace).resource(resource).protobuf(null).do();
    const protobuf = await identity.get().namespace(namespace).resource(resource).protobuf(coreV1Protobuf).do();
    if (!protobuf.isProtobuf) throw new Error(`protobuf: the server answered the LIST of ${resource} in ${namespace} with JSON to a protobuf Accept`);
    return { json: json.body.length, protobuf: protobuf.body.length };
  } finally {
    await identity.close();
  }
}

async function runTask(context: ScenarioContext, rows: WireRow[], task: Task, proxy: ByteCountingProxy, apiServerPid: number | undefined): Promise<Row[]> {
  const { settings } = context;
  const workers = new Map<string, { result: JobResult; kib: number; apiServerCpuMs: number }[]>(rows.map(({ row }) => [row, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const { row, implementation, wire } of rotated(rows, round)) {
      const bytesBefore = proxy.received();
      const serverCpuBefore = processCpuMs(apiServerPid);
      const result = await runJob(context.runner, implementation, { ...context.job, server: proxy.server, ...task.job, wire });
      const kib = (proxy.received() - bytesBefore) / 1024 / task.operations;
      const apiServerCpuMs = (processCpuMs(apiServerPid) - serverCpuBefore) / task.operations;
      workers.get(row)?.push({ result, kib, apiServerCpuMs });
      const clientCpu = task.job.task === 'watch' ? [result.watchCpuMs ?? Number.NaN] : (result.listCpuMs ?? []);
      context.log(
        `${task.id} round ${round + 1}: ${row.padEnd(18)} CPU ${clientCpu.map((ms) => Math.round(ms)).join(', ')} ms, ` +
          `${Math.round(kib)} KiB and ${Math.round(apiServerCpuMs)} ms API-server CPU per ${task.job.task}, peak RSS ${Math.round(result.peakRssKiB / 1024)} MiB`,
      );
    }
  }
  return rows.map(({ row, wire }): Row => {
    const runs = workers.get(row) ?? [];
    const watch = task.job.task === 'watch';
    return {
      implementation: row,
      metrics: {
        cpuMs: stat(runs.flatMap(({ result }) => (watch ? [result.watchCpuMs ?? Number.NaN] : (result.listCpuMs ?? [])))),
        ms: stat(runs.flatMap(({ result }) => (watch ? [result.ms ?? Number.NaN] : (result.timesMs ?? [])))),
        receivedKiB: stat(runs.map(({ kib }) => kib)),
        apiServerCpuMs: stat(runs.map(({ apiServerCpuMs }) => apiServerCpuMs)),
        peakRssMiB: stat(runs.map(({ result }) => result.peakRssKiB / 1024)),
      },
      ...(task.bodyBytes ? { notes: { uncompressedBodyKiB: Math.round(task.bodyBytes[wire] / 1024) } } : {}),
    };
  });
}

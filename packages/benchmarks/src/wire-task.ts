/**
 * The protobuf scenarios' task in the JavaScript workers (src/worker.ts), the same steps as
 * client-go's `list` and `watch` tasks (go/tasks.go) with the wire format pinned by `job.wire`:
 * `createClientSet(config, { coreV1 })` for JSON, `createClientSet(config, { coreV1 }, { protobuf:
 * coreV1Protobuf })` for protobuf — @kgo/typed as a user opts in. Only `kgo-typed` runs it.
 *
 * - list (`job.resource`: ConfigMaps or Pods): one warm-up LIST, then `runs` timed ones, each
 *   from sending to the decoded items in memory, with its CPU time;
 * - watch: `warmupRuns` untimed watches, then the timed one, each from `resourceVersion` until
 *   `events` events have arrived (every one must be ADDED or MODIFIED with a name).
 */
import { createClientSet } from '@kgo/typed';
import { coreV1 } from '@kgo/typed/core/v1';
import type { BenchConnection } from './cluster.ts';
import type { ClientName } from './clients/index.ts';
import { kgoConfig } from './clients/kgo.ts';
import { type Job, type JobResult, required } from './job.ts';
import { cpuMsSince } from './proc-status.ts';
import { timedLists } from './timed-lists.ts';

type WireResult = Omit<JobResult, 'peakRssKiB' | 'cpuMs'>;

/** Runs the job's list or watch with @kgo/typed over the job's wire format. */
export async function wireTask(name: ClientName, connection: BenchConnection, job: Job): Promise<WireResult> {
  if (name !== 'kgo-typed') throw new Error(`wire-task.ts: the protobuf scenarios run kgo-typed only, not ${name}`);
  // Loaded only for protobuf, as an app that opts in loads it: the JSON worker's RSS holds no codec.
  const protobuf = job.wire === 'protobuf' ? (await import('@kgo/typed/core/v1/protobuf')).coreV1Protobuf : undefined;
  const clientSet = createClientSet(kgoConfig(connection), { coreV1 }, { protobuf });
  try {
    if (job.task === 'list') return await listTask(clientSet.coreV1(), job);
    if (job.task === 'watch') return await watchTask(clientSet.coreV1(), job);
    throw new Error(`wire-task.ts: no ${job.task} task (list or watch)`);
  } finally {
    await clientSet.close();
  }
}

type CoreV1 = ReturnType<typeof coreV1>;

async function listTask(client: CoreV1, job: Job): Promise<WireResult> {
  const namespace = required(job.namespace, 'namespace');
  const list = job.resource === 'pods' ? () => client.pods(namespace).list() : () => client.configMaps(namespace).list();
  return timedLists(list, job, `kgo-typed (${job.wire})`, `${job.resource ?? 'configmaps'} in ${namespace}`);
}

async function watchTask(client: CoreV1, job: Job): Promise<WireResult> {
  const namespace = required(job.namespace, 'namespace');
  const expected = required(job.events, 'events');
  const once = async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const watch = await client.configMaps(namespace).watch({ resourceVersion: required(job.resourceVersion, 'resourceVersion') });
    let events = 0;
    try {
      for await (const event of watch) {
        if ((event.type !== 'ADDED' && event.type !== 'MODIFIED') || !event.object.metadata?.name) {
          throw new Error(`kgo-typed (${job.wire}): watch of configmaps in ${namespace}: unexpected ${event.type} event after ${events} events`);
        }
        if (++events === expected) break;
      }
    } finally {
      watch.stop();
    }
    if (events !== expected) throw new Error(`kgo-typed (${job.wire}): the watch of configmaps in ${namespace} ended after ${events} of ${expected} events`);
    return { events, ms: performance.now() - started, watchCpuMs: cpuMsSince(cpu) };
  };
  for (let i = 0; i < (job.warmupRuns ?? 0); i++) await once();
  return once();
}

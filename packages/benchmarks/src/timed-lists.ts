import { type Job, type JobResult, required } from './job.ts';
import { cpuMsSince, rssKiB } from './proc-status.ts';

/**
 * The list task's measurement, for every client and wire format: one warm-up LIST, then
 * `job.runs` timed ones, each from sending to the decoded items in memory, with its CPU time.
 * A list with other than `job.expectedItems` items fails the job: `${who}: listed N ${what},
 * expected M`.
 */
export async function timedLists(
  list: () => Promise<{ items: unknown[] }>,
  job: Job,
  who: string,
  what: string,
): Promise<Pick<JobResult, 'warmupMs' | 'timesMs' | 'listCpuMs' | 'startRssKiB'>> {
  const expected = required(job.expectedItems, 'expectedItems');
  const startRssKiB = rssKiB();
  const once = async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const items = (await list()).items;
    const ms = performance.now() - started;
    if (items.length !== expected) throw new Error(`${who}: listed ${items.length} ${what}, expected ${expected}`);
    return { ms, cpuMs: cpuMsSince(cpu) };
  };
  const warmupMs = (await once()).ms;
  const timesMs: number[] = [];
  const listCpuMs: number[] = [];
  for (let i = 0; i < required(job.runs, 'runs'); i++) {
    const run = await once();
    timesMs.push(run.ms);
    listCpuMs.push(run.cpuMs);
  }
  return { warmupMs, timesMs, listCpuMs, startRssKiB };
}

/**
 * One client's workload alone, for a CPU profile:
 *
 *   node --conditions=@kgo/source src/profile.ts <client> <get|get16|list> [out.cpuprofile]
 *   node src/profile-summary.ts out.cpuprofile
 *
 * Starts (or reuses, see run.ts) a cluster and the fixtures like run.ts does, warms up, then runs
 * the workload for KGO_BENCH_DURATION_MS (GETs, default 5 s) or KGO_BENCH_LIST_RUNS lists
 * (default 10) under the V8 CPU profiler (inspector), which sees only the timed part, not start-up
 * and warm-up. The envtest servers run in processes of their own, so the profile shows the client.
 * Also prints the client's CPU time per operation.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { openCluster } from './cluster.ts';
import { createClient, isClientName } from './clients/index.ts';
import { createFixtures, deleteFixtures, GET_NAME, GET_NAMESPACE, LIST_NAMESPACE } from './fixtures.ts';

async function main(): Promise<void> {
  const [name, workload = 'get', out = `${name}-${workload}.cpuprofile`] = process.argv.slice(2);
  if (!name || !isClientName(name) || !['get', 'get16', 'list'].includes(workload)) {
    throw new Error('usage: profile.ts <raw|kgo-rest|kgo-identity|kgo-typed|kgo-dynamic|client-node> <get|get16|list>');
  }
  const durationMs = Number(process.env.KGO_BENCH_DURATION_MS ?? '5000');
  const listRuns = Number(process.env.KGO_BENCH_LIST_RUNS ?? '10');
  const items = workload === 'list' ? Number(process.env.KGO_BENCH_LIST_ITEMS ?? '5000') : 0;
  const cluster = await openCluster((line) => console.error(line));
  try {
    await createFixtures(cluster.connection, items, Number(process.env.KGO_BENCH_DATA_BYTES ?? '1500'), (line) => console.error(line));
    const client = await createClient(name, cluster.connection);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    // `ops` (requests or lists) is stored in the profile as `kgoOps`, for per-operation figures in profile-summary.ts.
    const profiled = async <T>(body: () => Promise<T>, ops: (result: T) => number): Promise<{ result: T; cpuMs: number }> => {
      await session.post('Profiler.start');
      const cpu = process.cpuUsage();
      const result = await body();
      const used = process.cpuUsage(cpu);
      const { profile } = await session.post('Profiler.stop');
      await writeFile(out, JSON.stringify({ ...profile, kgoOps: ops(result) }));
      return { result, cpuMs: (used.user + used.system) / 1000 };
    };
    if (workload === 'list') {
      await client.list(LIST_NAMESPACE);
      const { result: ms, cpuMs } = await profiled(async () => {
        const started = performance.now();
        for (let i = 0; i < listRuns; i++) await client.list(LIST_NAMESPACE);
        return performance.now() - started;
      }, () => listRuns);
      console.log(`${name} list: ${(ms / listRuns).toFixed(0)} ms per list, client CPU ${(cpuMs / listRuns).toFixed(0)} ms per list; profile in ${out}`);
    } else {
      const concurrency = workload === 'get16' ? 16 : 1;
      const run = async (ms: number) => {
        const deadline = performance.now() + ms;
        let completed = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (performance.now() < deadline) {
              await client.get(GET_NAMESPACE, GET_NAME);
              completed++;
            }
          }),
        );
        return completed;
      };
      await run(1000);
      const { result: completed, cpuMs } = await profiled(
        () => run(durationMs),
        (count) => count,
      );
      console.log(
        `${name} GET c=${concurrency}: ${((completed / durationMs) * 1000).toFixed(0)} req/s, ` +
          `client CPU ${((cpuMs * 1000) / completed).toFixed(0)} µs per request; profile in ${out}`,
      );
    }
    await client.close();
    if (!cluster.managed) await deleteFixtures(cluster.connection);
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * One client's workload alone, for a CPU profile:
 *
 *   node --conditions=@kgo/source src/profile.ts <client> <get|get16|list|create16|watch> [out.cpuprofile]
 *   node src/profile-summary.ts out.cpuprofile
 *
 * Starts (or reuses, see run.ts) a cluster and the fixtures like run.ts does, warms up, then runs
 * the workload for KGO_BENCH_DURATION_MS (GETs, default 5 s) or KGO_BENCH_LIST_RUNS lists
 * (default 10), creates at concurrency 16 for KGO_BENCH_DURATION_MS, or watches replaying
 * KGO_BENCH_WATCH_EVENTS (default 10,000) ADDED events from resourceVersion=0 (KGO_BENCH_LIST_RUNS
 * times) under the V8 CPU profiler (inspector), which sees only the timed part, not start-up
 * and warm-up. The envtest servers run in processes of their own, so the profile shows the client.
 * Also prints the client's CPU time per operation.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { openCluster } from './cluster.ts';
import { createClient, isClientName } from './clients/index.ts';
import { adminClient, CREATE_NAMESPACE, createFixtures, deleteFixtures, GET_NAME, GET_NAMESPACE, LIST_NAMESPACE, WATCH_NAMESPACE } from './fixtures.ts';

async function main(): Promise<void> {
  const [name, workload = 'get', out = `${name}-${workload}.cpuprofile`] = process.argv.slice(2);
  if (!name || !isClientName(name) || !['get', 'get16', 'list', 'create16', 'watch'].includes(workload)) {
    throw new Error('usage: profile.ts <raw|kgo-rest|kgo-identity|kgo-typed|kgo-dynamic|client-node> <get|get16|list|create16|watch>');
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
    } else if (workload === 'create16') {
      const admin = adminClient(cluster.connection);
      let index = 0;
      const run = async (ms: number) => {
        const deadline = performance.now() + ms;
        let completed = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (performance.now() < deadline) {
              await client.create(CREATE_NAMESPACE, { metadata: { name: `profile-${index++}`, labels: { 'kgo-bench': 'create' } }, data: { index: String(index) } });
              completed++;
            }
          }),
        );
        return completed;
      };
      await run(1000);
      const { result: completed, cpuMs } = await profiled(() => run(durationMs), (count) => count);
      console.log(`${name} create c=16: ${((completed / durationMs) * 1000).toFixed(0)} creates/s, client CPU ${((cpuMs * 1000) / completed).toFixed(0)} µs per create; profile in ${out}`);
      await admin.delete().namespace(CREATE_NAMESPACE).resource('configmaps').params({ labelSelector: 'kgo-bench=create' }).do();
      await admin.close();
    } else if (workload === 'watch') {
      const events = Number(process.env.KGO_BENCH_WATCH_EVENTS ?? '10000');
      const admin = adminClient(cluster.connection);
      const existing = (await admin.get().namespace(WATCH_NAMESPACE).resource('configmaps').do()).into<{ items: unknown[] }>().items.length;
      let next = existing;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < events; i = next++) {
            await admin.post().namespace(WATCH_NAMESPACE).resource('configmaps').body({ metadata: { name: `event-${i}` }, data: { sent: '0', index: String(i) } }).do();
          }
        }),
      );
      const replay = async () => {
        let seen = 0;
        let done: () => void = () => {};
        const all = new Promise<void>((resolve) => {
          done = resolve;
        });
        const watch = await client.watch(WATCH_NAMESPACE, '0', () => {
          if (++seen === events) done();
        });
        await all;
        watch.stop();
        watch.done.catch(() => undefined);
      };
      await replay();
      const { result: ms, cpuMs } = await profiled(async () => {
        const started = performance.now();
        for (let i = 0; i < listRuns; i++) await replay();
        return performance.now() - started;
      }, () => listRuns * events);
      console.log(`${name} watch: ${((events * listRuns * 1000) / ms).toFixed(0)} events/s, client CPU ${((cpuMs * 1000) / (events * listRuns)).toFixed(1)} µs per event; profile in ${out}`);
      await admin.delete().namespace(WATCH_NAMESPACE).resource('configmaps').do();
      await admin.close();
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

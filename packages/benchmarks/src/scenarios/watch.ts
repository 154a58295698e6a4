import { adminClient, WATCH_NAMESPACE } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import { epochMicros, type JobResult } from '../job.ts';
import { percentile, type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext, timedScenario } from './context.ts';

const IMPLEMENTATIONS: Implementation[] = ['raw', 'kgo-rest', 'kgo-rest-baseline', 'client-node', 'client-go'];

/**
 * Two parts over the watch namespace:
 *
 * - **lag** (once): every implementation watches from the namespace's current resourceVersion, all
 *   at once, each in its own process; when all are established, this process creates watchEvents
 *   ConfigMaps at the concurrency, each carrying its send time (`data.sent`, µs since the epoch).
 *   Each watcher records arrival − send time per event: the end-to-end lag (the create's own
 *   latency, the server's fan-out and the client's decoding), with every client sharing the CPUs.
 * - **throughput** (rounds, one implementation at a time, rotating): after one untimed warm-up
 *   watch, a watch from `resourceVersion=0`, whose first watchEvents events are the server's
 *   synthetic ADDED events for the objects that exist — as fast as the server sends them and the
 *   client decodes them.
 */
export async function watchScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  const { settings } = context;
  const implementations = available(settings, IMPLEMENTATIONS);
  const admin = adminClient(context.connection);
  const events = settings.watchEvents;
  try {
    const empty = () => admin.delete().namespace(WATCH_NAMESPACE).resource('configmaps').do();
    await empty();
    const lag = await timedScenario('watch-lag', async () => {
      const listed = (await admin.get().namespace(WATCH_NAMESPACE).resource('configmaps').do()).into<{ metadata: { resourceVersion: string } }>();
      let readyCount = 0;
      let allReady: () => void = () => {};
      const ready = new Promise<void>((resolve) => {
        allReady = resolve;
      });
      const watchers = implementations.map((implementation) =>
        runJob(
          context.runner,
          implementation,
          { ...context.job, task: 'watch', namespace: WATCH_NAMESPACE, resourceVersion: listed.metadata.resourceVersion, events },
          {
            onReady: () => {
              if (++readyCount === implementations.length) allReady();
            },
          },
        ),
      );
      // A watcher that fails before it is ready must not leave this waiting.
      await Promise.race([ready, Promise.all(watchers)]);
      context.log(`watch lag: ${implementations.length} watchers established; creating ${events} ConfigMaps at concurrency ${settings.concurrency}…`);
      const started = performance.now();
      let next = 0;
      const writer = async () => {
        for (let i = next++; i < events; i = next++) {
          const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `event-${i}` }, data: { sent: String(epochMicros()), index: String(i) } };
          await admin.post().namespace(WATCH_NAMESPACE).resource('configmaps').body(body).do();
        }
      };
      await Promise.all(Array.from({ length: settings.concurrency }, writer));
      context.log(`watch lag: written in ${Math.round(performance.now() - started)} ms`);
      const results = await Promise.all(watchers);
      return implementations.map((implementation, i) => {
        const result = results[i] as JobResult;
        const lags = result.lagsMs ?? [];
        context.log(`watch lag: ${implementation.padEnd(12)} p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms over ${lags.length} events`);
        return {
          implementation,
          metrics: {
            lagP50Ms: stat([percentile(lags, 50)]),
            lagP99Ms: stat([percentile(lags, 99)]),
            eventsPerSecond: stat([((result.events ?? 0) / (result.ms ?? 1)) * 1000]),
          },
          notes: { events: lags.length },
        };
      });
    });

    const throughput = await timedScenario('watch-throughput', async () => {
      const workers = new Map<Implementation, JobResult[]>(implementations.map((name) => [name, []]));
      for (let round = 0; round < settings.rounds; round++) {
        for (const implementation of rotated(implementations, round)) {
          const result = await runJob(context.runner, implementation, { ...context.job, task: 'watch', namespace: WATCH_NAMESPACE, resourceVersion: '0', events, warmupRuns: 1 });
          workers.get(implementation)?.push(result);
          context.log(
            `watch round ${round + 1}: ${implementation.padEnd(12)} ${Math.round(((result.events ?? 0) / (result.ms ?? 1)) * 1000)} events/s, ${(((result.watchCpuMs ?? 0) * 1000) / events).toFixed(1)} µs CPU/event`,
          );
        }
      }
      return implementations.map((implementation) => {
        const results = workers.get(implementation) ?? [];
        return {
          implementation,
          metrics: {
            eventsPerSecond: stat(results.map((result) => ((result.events ?? 0) / (result.ms ?? 1)) * 1000)),
            cpuUs: stat(results.map((result) => ((result.watchCpuMs ?? 0) * 1000) / events)),
            peakRssMiB: stat(results.map((result) => result.peakRssKiB / 1024)),
          },
        };
      });
    });
    await empty();
    return [throughput, lag];
  } finally {
    await admin.close();
  }
}

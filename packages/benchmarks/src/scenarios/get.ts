import { GET_NAME, GET_NAMESPACE } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import type { GetRun } from '../job.ts';
import { type Row, type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext, timedScenario } from './context.ts';

const IMPLEMENTATIONS: Implementation[] = ['raw', 'kgo-rest', 'kgo-rest-baseline', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'];

/**
 * GETs of one small ConfigMap, sequentially and at the concurrency: one worker process per
 * implementation per round (warm-up, then each concurrency for durationMs), implementations taking
 * turns in a rotating order.
 */
export async function getScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  const { settings } = context;
  const implementations = available(settings, IMPLEMENTATIONS);
  const runs = new Map<Implementation, { runs: GetRun[]; peakRssKiB: number }[]>(implementations.map((name) => [name, []]));
  const started = performance.now();
  const sequential = await timedScenario('get-sequential', async () => {
    for (let round = 0; round < settings.rounds; round++) {
      for (const implementation of rotated(implementations, round)) {
        const result = await runJob(context.runner, implementation, {
          ...context.job,
          task: 'get',
          namespace: GET_NAMESPACE,
          name: GET_NAME,
          warmupMs: settings.warmupMs,
          durationMs: settings.durationMs,
          concurrencies: [1, settings.concurrency],
        });
        runs.get(implementation)?.push({ runs: result.runs ?? [], peakRssKiB: result.peakRssKiB });
        const line = (result.runs ?? []).map((run) => `c=${run.concurrency} ${Math.round((run.requests / run.ms) * 1000)} req/s, ${Math.round((run.cpuMs * 1000) / run.requests)} µs CPU/req`).join('; ');
        context.log(`GET round ${round + 1}: ${implementation.padEnd(12)} ${line}`);
      }
    }
    return rowsFor(1);
  });
  function rowsFor(concurrency: number): Row[] {
    return implementations.map((implementation) => {
      const workers = runs.get(implementation) ?? [];
      const at = workers.map((worker) => worker.runs.find((run) => run.concurrency === concurrency)).filter((run): run is GetRun => run !== undefined);
      return {
        implementation,
        metrics: {
          rps: stat(at.map((run) => (run.requests / run.ms) * 1000)),
          cpuUs: stat(at.map((run) => (run.cpuMs * 1000) / run.requests)),
          peakRssMiB: stat(workers.map((worker) => worker.peakRssKiB / 1024)),
        },
      };
    });
  }
  // Both rows come from the same workers: the concurrent one shares the sequential one's timing.
  const concurrent: ScenarioResult = { ...sequential, id: 'get-concurrent', rows: rowsFor(settings.concurrency) };
  sequential.seconds = concurrent.seconds = Math.round((performance.now() - started) / 1000);
  return [sequential, concurrent];
}

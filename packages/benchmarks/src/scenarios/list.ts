import { listNamespace } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import type { JobResult } from '../job.ts';
import { type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext, timedScenario } from './context.ts';

/**
 * Besides every implementation (each with its default: kgo, client-node and client-go ask for
 * gzip), two variants separate what gzip costs from what the client costs: `raw-gzip` (raw asking
 * for gzip, one zlib call) and `kgo-identity` (kgo with `disableCompression`).
 */
const IMPLEMENTATIONS: Implementation[] = ['raw', 'raw-gzip', 'kgo-rest', 'kgo-rest-baseline', 'kgo-identity', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'];

/** LIST of the list namespace's ConfigMaps: a worker process per implementation per round (one warm-up list, then listRuns timed). */
export function listScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { settings } = context;
  const implementations = available(settings, IMPLEMENTATIONS);
  return timedScenario('list', async () => {
    const workers = new Map<Implementation, JobResult[]>(implementations.map((name) => [name, []]));
    for (let round = 0; round < settings.rounds; round++) {
      for (const implementation of rotated(implementations, round)) {
        const result = await runJob(context.runner, implementation, {
          ...context.job,
          task: 'list',
          namespace: listNamespace(settings.listItems),
          expectedItems: settings.listItems,
          runs: settings.listRuns,
        });
        workers.get(implementation)?.push(result);
        context.log(
          `LIST round ${round + 1}: ${implementation.padEnd(12)} ${(result.timesMs ?? []).map((ms) => Math.round(ms)).join(', ')} ms (warm-up ${Math.round(result.warmupMs ?? 0)}), ` +
            `CPU ${(result.listCpuMs ?? []).map((ms) => Math.round(ms)).join(', ')} ms, peak RSS ${Math.round(result.peakRssKiB / 1024)} MiB`,
        );
      }
    }
    return implementations.map((implementation) => {
      const results = workers.get(implementation) ?? [];
      return {
        implementation,
        metrics: {
          ms: stat(results.flatMap((result) => result.timesMs ?? [])),
          peakRssMiB: stat(results.map((result) => result.peakRssKiB / 1024)),
          cpuMs: stat(results.flatMap((result) => result.listCpuMs ?? [])),
          startRssMiB: stat(results.map((result) => (result.startRssKiB ?? Number.NaN) / 1024)),
        },
        notes: { gzip: implementation === 'raw' || implementation === 'kgo-identity' ? 'no' : 'yes' },
      };
    });
  });
}

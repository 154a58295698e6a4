import { adminClient, CREATE_NAMESPACE } from '../fixtures.ts';
import { type Implementation, runJob } from '../implementations.ts';
import type { JobResult } from '../job.ts';
import { type ScenarioResult, stat } from '../report.ts';
import { available, rotated, type ScenarioContext, timedScenario } from './context.ts';

const IMPLEMENTATIONS: Implementation[] = ['raw', 'kgo-rest', 'kgo-rest-baseline', 'kgo-typed', 'kgo-dynamic', 'client-node', 'client-go'];

/**
 * Creates of small ConfigMaps at the concurrency: a worker process per implementation per round
 * (createWarmup creates, then createCount timed), implementations taking turns; the namespace is
 * emptied after each worker (not timed), so every run writes to the same state.
 */
export function createScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { settings } = context;
  const implementations = available(settings, IMPLEMENTATIONS);
  return timedScenario('create', async () => {
    const admin = adminClient(context.connection);
    const empty = () => admin.delete().namespace(CREATE_NAMESPACE).resource('configmaps').params({ labelSelector: 'kgo-bench=create' }).do();
    const workers = new Map<Implementation, JobResult[]>(implementations.map((name) => [name, []]));
    try {
      await empty();
      for (let round = 0; round < settings.rounds; round++) {
        for (const implementation of rotated(implementations, round)) {
          const result = await runJob(context.runner, implementation, {
            ...context.job,
            task: 'create',
            namespace: CREATE_NAMESPACE,
            count: settings.createCount,
            warmupCount: settings.createWarmup,
            concurrency: settings.concurrency,
            namePrefix: `${implementation}-${round}-`,
          });
          await empty();
          workers.get(implementation)?.push(result);
          const count = result.count ?? 0;
          const ms = result.ms ?? 0;
          context.log(`create round ${round + 1}: ${implementation.padEnd(12)} ${count} in ${Math.round(ms)} ms (${Math.round((count / ms) * 1000)}/s), ${Math.round(((result.createCpuMs ?? 0) * 1000) / count)} µs CPU/create`);
        }
      }
    } finally {
      await admin.close();
    }
    return implementations.map((implementation) => {
      const results = workers.get(implementation) ?? [];
      return {
        implementation,
        metrics: {
          rps: stat(results.map((result) => ((result.count ?? 0) / (result.ms ?? 1)) * 1000)),
          cpuUs: stat(results.map((result) => ((result.createCpuMs ?? 0) * 1000) / (result.count ?? 1))),
          ms: stat(results.map((result) => result.ms ?? Number.NaN)),
          peakRssMiB: stat(results.map((result) => result.peakRssKiB / 1024)),
        },
      };
    });
  });
}

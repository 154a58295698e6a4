import { HttpClient } from '@kgo/rest';
import type { DemoArgs } from './args.ts';
import type { Output } from './output.ts';
import type { Progress } from './progress.ts';
import { RequestCounter } from './request-counter.ts';
import { ScratchNamespace } from './scratch-namespace.ts';
import type { Step, StepContext } from './step.ts';
import { STEPS } from './steps/index.ts';
import { chooseTarget } from './target.ts';

/** What {@link runDemo} prints to and where it keeps files. */
export interface DemoIo {
  out: Output;
  progress: Progress;
  /** The cached discovery step's folder (`./cache`). */
  cacheDir: string;
  /** Called with the embedded control plane's stop function once it runs (for Ctrl-C). */
  onStarted?(stop: () => Promise<void>): void;
}

interface StepResult {
  number: number;
  step: Step;
  ok: boolean;
  result: string;
  requests: number;
  ms: number;
}

/** `41 ms`, or `2.3 s` from 10 s on. */
export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The main job: picks the target (the kubeconfig's current context, or the embedded control
 * plane), runs the chosen steps in order, each with a heading, its table and a footer (result,
 * requests sent, time), then a summary. A failing step is reported and the next one runs.
 * Resolves with the exit code: 0 when every step passed.
 */
export async function runDemo(args: DemoArgs, io: DemoIo): Promise<number> {
  const { out } = io;
  const selected = (args.only ?? STEPS.map((_, index) => index + 1)).map((number) => ({ number, step: STEPS[number - 1] as Step }));
  out.line(out.bold("kgo demo: client-go's classic walkthroughs, in TypeScript"));
  const target = await chooseTarget({
    envtest: args.envtest,
    progress: io.progress,
    say: (line) => out.line(out.dim(line)),
    ...(io.onStarted ? { onStarted: io.onStarted } : {}),
  });
  out.line(`target: ${target.description}`);
  if (target.seeded) {
    out.line('seeded:');
    out.table(target.seeded);
  }

  const counter = new RequestCounter();
  const http = new HttpClient(counter.counted(target.config));
  const scratch = new ScratchNamespace(http);
  const ctx: StepContext = {
    config: target.config,
    http,
    counter,
    limit: args.limit,
    cacheDir: io.cacheDir,
    scratchNamespace: () => scratch.get(),
    out,
  };
  const results: StepResult[] = [];
  try {
    for (const { number, step } of selected) results.push(await runStep(number, step, ctx));
  } finally {
    const deleted = await scratch.delete().catch((error: unknown) => {
      out.line(`warning: could not delete the demo's namespace: ${(error as Error).message}`);
      return undefined;
    });
    if (deleted) out.line(out.dim(`deleted namespace ${deleted}`));
    await http.close();
    await target.stop();
  }

  out.line();
  out.line(out.bold('summary'));
  out.table({
    headers: ['#', 'STEP', 'RESULT', 'REQUESTS', 'TIME'],
    rows: results.map((r) => [String(r.number), r.step.title, `${r.ok ? '✓' : '✗'} ${r.result}`, String(r.requests), formatDuration(r.ms)]),
  });
  const failed = results.filter((r) => !r.ok).length;
  out.line(failed === 0 ? `all ${plural(results.length, 'step')} passed` : `${plural(failed, 'step')} failed`);
  return failed === 0 ? 0 : 1;
}

async function runStep(number: number, step: Step, ctx: StepContext): Promise<StepResult> {
  const { out } = ctx;
  out.line();
  out.line(out.bold(`── ${number}/${STEPS.length}  ${step.title}: ${step.description}`));
  out.line(out.dim(`   client-go: ${step.clientGo}`));
  const before = ctx.counter.count;
  const started = performance.now();
  let ok = true;
  let result: string;
  try {
    result = await step.run(ctx);
  } catch (error) {
    ok = false;
    result = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  const ms = performance.now() - started;
  const requests = ctx.counter.count - before;
  out.line(`  ${ok ? '✓' : '✗'} ${result} · ${plural(requests, 'request')} · ${formatDuration(ms)}`);
  return { number, step, ok, result, requests, ms };
}

/**
 * `pnpm run demo` (the README's first command, through `bash .ci/dev demo`): client-go's classic
 * walkthroughs against your current kubeconfig context, or an embedded control plane.
 */
import { resolve } from 'node:path';
import { parseDemoArgs, UsageError, DEFAULT_LIMIT } from './args.ts';
import { runDemo } from './demo.ts';
import { Output } from './output.ts';
import { Progress } from './progress.ts';
import { STEPS } from './steps/index.ts';

const usage = () => `usage: pnpm run demo [options]   (on a fresh machine: bash .ci/dev demo)

Runs client-go's classic walkthroughs with kgo, in order:
${STEPS.map((step, index) => `  ${index + 1}. ${step.title}: ${step.description}`).join('\n')}

Target: your current kubeconfig context (KUBECONFIG, else ~/.kube/config) when its server answers;
read-only there, except a namespace the demo creates and deletes. Otherwise an embedded control
plane (@kgo/envtest: etcd + kube-apiserver on loopback, binaries built once and cached), seeded
with sample namespaces, pods, a Deployment and a CRD, and stopped at the end.

options:
  --only N[,M]   run only these steps (e.g. --only 4, --only 1,3); may repeat
  --limit N      the limit of the pod lists (default ${DEFAULT_LIMIT})
  --envtest      use the embedded control plane even when a kubeconfig context is set
  -h, --help     this text

Step 5 keeps its cache in ./cache (discovery/ and http/): run the demo twice to see it answer
from there.`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseDemoArgs(argv, STEPS.length);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`kgo demo: ${error.message}\n'pnpm run demo --help' lists the steps and options.`);
    return 2;
  }
  if (args.help) {
    console.log(usage());
    return 0;
  }
  let stop: (() => Promise<void>) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping`);
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return runDemo(args, {
    out: Output.forStdout(),
    progress: new Progress(process.stderr),
    cacheDir: resolve('cache'),
    onStarted: (stopPlane) => {
      stop = stopPlane;
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`kgo demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

import { parseArgs } from 'node:util';

/** What the command line asked for. */
export interface DemoArgs {
  help: boolean;
  /** Step numbers to run (1-based, ascending, no repeats), or every step when undefined. */
  only: number[] | undefined;
  /** The `limit` of the pod lists. */
  limit: number;
  /** Use the embedded control plane even when a kubeconfig context is set. */
  envtest: boolean;
}

/** The command line was wrong: print the message and the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Default `limit` of the pod lists: small, so the paging fields show on a busy cluster. */
export const DEFAULT_LIMIT = 10;

/**
 * Parses the demo's arguments. `--only` takes a step number or a comma-separated list and may
 * repeat (`--only 1,3 --only 5`); numbers are checked against the `stepCount` steps there are.
 */
export function parseDemoArgs(argv: readonly string[], stepCount: number): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        only: { type: 'string', multiple: true },
        limit: { type: 'string' },
        envtest: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    help: values.help,
    only: values.only === undefined ? undefined : parseOnly(values.only, stepCount),
    limit: values.limit === undefined ? DEFAULT_LIMIT : parseLimit(values.limit),
    envtest: values.envtest,
  };
}

function parseOnly(values: readonly string[], stepCount: number): number[] {
  const steps = new Set<number>();
  for (const part of values.flatMap((value) => value.split(','))) {
    const step = Number(part.trim());
    if (!Number.isInteger(step) || step < 1 || step > stepCount) {
      throw new UsageError(`--only ${JSON.stringify(part)}: give step numbers from 1 to ${stepCount} (e.g. --only 4 or --only 1,3)`);
    }
    steps.add(step);
  }
  return [...steps].sort((a, b) => a - b);
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${JSON.stringify(value)}: give a whole number ≥ 1 (the pods per list page)`);
  return limit;
}

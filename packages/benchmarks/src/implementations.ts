/**
 * Runs a job ({@link Job}) for one implementation in a process of its own: a JavaScript client
 * through src/worker.ts, client-go through the Go program.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientName } from './clients/index.ts';
import type { Job, JobResult } from './job.ts';

/** Every implementation the scenarios compare. */
export type Implementation = ClientName | 'client-go';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** How to start implementations: the client-go binary, and a folder for job files. */
export interface Runner {
  clientGo: string | undefined;
  scratch: string;
}

let jobCounter = 0;

/**
 * Runs `job` with `implementation`; `onReady` is called when the process reports `READY` on
 * stderr (a watch is established). Rejects on a non-zero exit, a timeout or output that is no result.
 */
export function runJob(runner: Runner, implementation: Implementation, job: Job, options: { onReady?: () => void; timeoutMs?: number } = {}): Promise<JobResult> {
  const jobFile = join(runner.scratch, `job-${process.pid}-${jobCounter++}.json`);
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  let command: string;
  let args: string[];
  if (implementation === 'client-go') {
    if (!runner.clientGo) throw new Error('client-go is off (KGO_BENCH_CLIENT_GO=off)');
    command = runner.clientGo;
    args = [jobFile];
  } else {
    command = process.execPath;
    // The informer task weighs the live heap after a full GC (global.gc).
    args = ['--conditions=@kgo/source', ...(job.task === 'informer' ? ['--expose-gc'] : []), WORKER, implementation, jobFile];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 300_000 });
    let stdout = '';
    let stderr = '';
    let ready = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!ready && /^READY\b/m.test(stderr)) {
        ready = true;
        options.onReady?.();
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0) {
        try {
          resolve(JSON.parse(line) as JobResult);
          return;
        } catch {
          // reported below
        }
      }
      reject(new Error(`${implementation} ${job.task} ${signal ? `was killed by ${signal}` : `exited with ${code}`}:\n${stderr.slice(-3000)}\n${stdout.slice(-500)}`));
    });
  });
}

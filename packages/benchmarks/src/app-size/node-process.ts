/**
 * One run of a Node script in a fresh process: its wall time from spawn to exit, measured by the
 * parent, and its own peak RSS and CPU time, read by the process itself at exit through the
 * `exit-report.mjs` preload (peak RSS: VmHWM from /proc/self/status; `resourceUsage().maxRSS` of
 * a child, as a parent sees it, can be floored by the parent's own RSS after fork).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EXIT_REPORT_PRELOAD = fileURLToPath(new URL('./exit-report.mjs', import.meta.url));

/** What one run measured, and what it printed. */
export interface NodeRun {
  wallMs: number;
  /** The process's CPU time (user + system, all threads), ms. */
  cpuMs: number;
  peakRssKiB: number;
  stdout: string;
}

/**
 * Runs `node --import exit-report.mjs <script>` in `cwd` with only `env` (plus PATH and HOME): no
 * NODE_OPTIONS, no compile cache and none of pnpm's variables reach it, so every script starts
 * the same cold Node.
 */
export function runNode(script: string, cwd: string, env: Record<string, string> = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', EXIT_REPORT_PRELOAD, script], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      const match = /^KGO_EXIT_REPORT vmhwm_kb=(\d+) cpu_us=(\d+)$/m.exec(stderr);
      if (code !== 0 || !match) {
        reject(new Error(`node ${script} in ${cwd} ${signal ? `was killed by ${signal}` : `exited with ${code}`}${match ? '' : ' without reporting its peak RSS and CPU time'}:\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ wallMs, cpuMs: Number(match[2]) / 1000, peakRssKiB: Number(match[1]), stdout });
    });
  });
}

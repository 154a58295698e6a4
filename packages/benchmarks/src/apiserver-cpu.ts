/**
 * The kube-apiserver's own CPU time, from /proc/<pid>/stat (utime + stime): read before and
 * after a task to charge the server's work to it. The process is found by its command line
 * (`kube-apiserver … --secure-port=<the server URL's port>`), so it works for the package's own
 * envtest and for a shared test cluster on this machine; a remote server has none (NaN).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux's every architecture). */
const USER_HZ = 100;

/** The pid of the kube-apiserver serving `server` on this machine, or undefined. */
export function findApiServerPid(server: string): number | undefined {
  const port = new URL(server).port;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    // The binary itself, not a wrapper (a shell, envtest's watchdog) that carries it as an argument.
    if (argv[0]?.endsWith('kube-apiserver') && argv.includes(`--secure-port=${port}`)) return Number(pid);
  }
  return undefined;
}

/** The process's CPU time so far (user + system), ms; NaN when it cannot be read. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

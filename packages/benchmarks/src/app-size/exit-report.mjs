// Preloaded (`node --import`) into every measured process: at exit, prints the process's own
// peak resident set size (VmHWM from /proc/self/status) and CPU time (user + system, all threads)
// on stderr, in a line bench:app-size reads. CPU time moves less than wall time on a busy machine.
import { readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  const { user, system } = process.cpuUsage();
  writeSync(2, `\nKGO_EXIT_REPORT vmhwm_kb=${match ? match[1] : 'unknown'} cpu_us=${user + system}\n`);
});

import { readFileSync } from 'node:fs';

/**
 * A field of this process's /proc/self/status in KiB (`VmHWM`, `VmRSS`), -1 where there is none
 * (not Linux). VmHWM is the process's own peak RSS; `process.resourceUsage().maxRSS` of a forked
 * child can be floored by the parent's RSS at fork.
 */
function statusKiB(field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

/** This process's peak resident set size (VmHWM), KiB. */
export const peakRssKiB = (): number => statusKiB('VmHWM');
/** This process's resident set size now (VmRSS), KiB. */
export const rssKiB = (): number => statusKiB('VmRSS');

/** This process's CPU time (user + system, all threads) since `before`, ms. */
export function cpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Waits `ms` milliseconds, or less if `signal` aborts (it then resolves, not rejects: the loops
 * that sleep check the signal themselves). The timer does not keep the process alive on its own
 * when `unref` is set.
 */
export function sleep(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) timer.unref?.();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `duration` plus a random extra of up to `factor × duration` (apimachinery's `wait.Jitter`). */
export function jitter(duration: number, factor: number): number {
  return factor > 0 ? duration + Math.random() * factor * duration : duration;
}

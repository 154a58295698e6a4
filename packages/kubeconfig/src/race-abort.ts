/*
 * A caller's signal ends its own wait for a shared operation (one plugin run or token refresh for
 * many requests), never the operation: the other callers still need its result.
 */

/** `promise`, or `onAbort(signal.reason)` as soon as `signal` fires; the promise itself runs on. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: (reason: unknown) => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort(signal.reason));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

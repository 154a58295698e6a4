import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors/status-error.ts';
import { backoffDelays, DEFAULT_BACKOFF, DEFAULT_RETRY, onError, retryOnConflict } from './retry-on-conflict.ts';

const status = (code: number, reason: string) =>
  new StatusError({ apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message: `${reason} (test)` }, { verb: 'PUT', url: 'https://example.test/x' });

describe('backoffDelays', () => {
  it("waits as client-go's DefaultRetry and DefaultBackoff do: one fewer wait than calls, jitter on top", () => {
    expect(backoffDelays(DEFAULT_RETRY, () => 0)).toEqual([10, 10, 10, 10]);
    expect(backoffDelays(DEFAULT_BACKOFF, () => 0)).toEqual([10, 50, 250]);
    // random() just below 1 adds just under 10 % to each wait.
    const most = backoffDelays(DEFAULT_BACKOFF, () => 0.999_999);
    expect(most.map((ms, i) => ms / [10, 50, 250][i]!)).toEqual([expect.closeTo(1.1, 5), expect.closeTo(1.1, 5), expect.closeTo(1.1, 5)]);
    expect(backoffDelays({ steps: 1, durationMs: 10, factor: 2, jitter: 0 })).toEqual([]);
    expect(backoffDelays({ steps: 0, durationMs: 10, factor: 2, jitter: 0 })).toEqual([]);
  });
});

describe('retryOnConflict', () => {
  it('calls again after a 409 and resolves with the first success', async () => {
    let calls = 0;
    const result = await retryOnConflict(DEFAULT_RETRY, async () => {
      calls++;
      if (calls < 3) throw status(409, 'Conflict');
      return 'written';
    });
    expect(result).toBe('written');
    expect(calls).toBe(3);
  });

  it('throws another error at once, and the last conflict once the steps run out', async () => {
    let calls = 0;
    const forbidden = status(403, 'Forbidden');
    await expect(retryOnConflict(DEFAULT_RETRY, async () => (calls++, Promise.reject(forbidden)))).rejects.toBe(forbidden);
    expect(calls).toBe(1);

    calls = 0;
    const conflicts: StatusError[] = [];
    const failed = retryOnConflict({ steps: 3, durationMs: 1, factor: 1, jitter: 0 }, async () => {
      calls++;
      const conflict = status(409, 'Conflict');
      conflicts.push(conflict);
      throw conflict;
    });
    const thrown = await failed.catch((error: unknown) => error);
    expect(calls).toBe(3);
    expect(thrown).toBe(conflicts[2]);
  });

  it('stops waiting when its signal aborts, with the signal\'s reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retryOnConflict({ steps: 5, durationMs: 60_000, factor: 1, jitter: 0 }, async () => {
      calls++;
      throw status(409, 'Conflict');
    }, { signal: controller.signal });
    const reason = new Error('shutting down');
    queueMicrotask(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
    expect(calls).toBe(1);
    await expect(retryOnConflict(DEFAULT_RETRY, async () => 1, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('onError', () => {
  it('retries exactly what the predicate accepts', async () => {
    let calls = 0;
    const value = await onError(DEFAULT_BACKOFF, (error) => error instanceof StatusError && error.code === 503, async () => {
      calls++;
      if (calls === 1) throw status(503, 'ServiceUnavailable');
      return calls;
    });
    expect(value).toBe(2);
  });
});

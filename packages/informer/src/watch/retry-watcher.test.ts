/*
 * RetryWatcher's control flow over scripted watch streams (the real server and real faults:
 * retry-watcher.faults.integration.test.ts). Each script is what one watch delivers, then how it ends.
 */
import { isResourceExpired, type ListOptions, RequestError, type Status, StatusError, type WatchEvent } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import type { WatchStream } from '../cache/lister-watcher.ts';
import { RetryWatcherError } from '../errors/retry-watcher-error.ts';
import type { ConfigMap } from '../test/fixtures.ts';
import { RetryWatcher } from './retry-watcher.ts';

type Script = { events: WatchEvent<ConfigMap>[]; end: 'close' | 'break' | 'hang' } | { refuse: unknown };

const cm = (name: string, resourceVersion: string | undefined): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion } });
const status = (code: number, reason: string, extra: Partial<Status> = {}): Status => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message: `code ${code}`, ...extra });
const broken = () => new RequestError('connection reset', { verb: 'GET', url: 'https://127.0.0.1/api/v1/configmaps' }, { code: 'ECONNRESET' });

/** A watcher client playing the scripts in turn, recording the options of each watch. */
function scripted(scripts: Script[]) {
  const calls: ListOptions[] = [];
  let stops = 0;
  const open = async (options: ListOptions): Promise<WatchStream<ConfigMap>> => {
    calls.push(options);
    const script = scripts.shift() ?? { events: [], end: 'hang' };
    if ('refuse' in script) throw script.refuse;
    let stopped!: () => void;
    const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
    return {
      stop: () => {
        stops++;
        stopped();
      },
      async *[Symbol.asyncIterator]() {
        for (const event of script.events) yield event;
        if (script.end === 'break') throw broken();
        if (script.end === 'hang') await stoppedPromise;
      },
    };
  };
  return { open, calls, stops: () => stops };
}

async function collect(watcher: RetryWatcher<ConfigMap>, count: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of watcher) {
    seen.push(`${event.type} ${event.object.metadata?.name}@${event.object.metadata?.resourceVersion}`);
    if (seen.length === count) break;
  }
  return seen;
}

const fast = { backoff: { initialMs: 1, jitter: 0 } };

describe('RetryWatcher', () => {
  it('refuses to start from "" or "0" (a watch from there begins with synthetic events)', () => {
    const { open } = scripted([]);
    for (const rv of ['', '0']) {
      expect(() => new RetryWatcher<ConfigMap>(rv, open)).toThrow(RetryWatcherError);
      try {
        new RetryWatcher<ConfigMap>(rv, open);
      } catch (error) {
        expect(RetryWatcherError.isInstance(error) && error.reason).toBe('initial-resource-version');
        expect(String(error)).toMatch(/start from the resourceVersion of a list/);
      }
    }
  });

  it('resumes from the last resourceVersion after a clean end and a broken stream; bookmarks move it on and are not delivered', async () => {
    const { open, calls, stops } = scripted([
      { events: [{ type: 'ADDED', object: cm('a', '11') }, { type: 'MODIFIED', object: cm('a', '12') }], end: 'close' },
      { events: [{ type: 'BOOKMARK', object: cm('', '15') }], end: 'break' },
      { events: [{ type: 'DELETED', object: cm('a', '16') }], end: 'break' },
      { events: [{ type: 'ADDED', object: cm('b', '17') }], end: 'hang' },
    ]);
    const errors: unknown[] = [];
    const watcher = new RetryWatcher<ConfigMap>('10', { watch: open }, { ...fast, onError: (error) => errors.push(error) });
    expect(await collect(watcher, 4)).toEqual(['ADDED a@11', 'MODIFIED a@12', 'DELETED a@16', 'ADDED b@17']);
    expect(calls).toEqual([10, 12, 15, 16].map((rv) => ({ resourceVersion: String(rv), allowWatchBookmarks: true })));
    expect(errors.map((error) => RequestError.isInstance(error))).toEqual([true, true]);
    expect(watcher.stats).toMatchObject({ watches: 4, events: 4, bookmarks: 1, errors: 2 });
    expect(watcher.lastResourceVersion).toBe('17');
    // Breaking out of the loop stopped the watcher and its open watch.
    expect(watcher.done.aborted).toBe(true);
    expect(stops()).toBe(4);
  });

  it('ends with the server\'s StatusError on 410 (the resourceVersion is gone: list again), as an event or as a refused watch', async () => {
    const expired = status(410, 'Expired', { message: 'too old resource version: 10 (20)' });
    for (const script of [{ events: [{ type: 'ERROR', object: expired }], end: 'close' }, { refuse: new StatusError({ ...expired, code: 410, reason: 'Expired', message: 'gone' }) }] as Script[]) {
      const { open } = scripted([{ events: [{ type: 'ADDED', object: cm('a', '11') }], end: 'close' }, script]);
      const watcher = new RetryWatcher<ConfigMap>('10', open, fast);
      const seen: string[] = [];
      const error = await (async () => {
        for await (const event of watcher) seen.push(event.object.metadata?.resourceVersion ?? '');
      })().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(seen).toEqual(['11']);
      expect(isResourceExpired(error)).toBe(true);
      expect(watcher.done.aborted).toBe(true);
    }
    const { open } = scripted([{ events: [{ type: 'ERROR', object: expired }], end: 'close' }]);
    await expect(collect(new RetryWatcher<ConfigMap>('10', open, fast), 1)).rejects.toThrow(/from resourceVersion "10" cannot be resumed \(list again\): too old resource version/);
  });

  it('retries other ERROR events and refused watches from the same resourceVersion, waiting Retry-After', async () => {
    const { open, calls } = scripted([
      { events: [{ type: 'ERROR', object: status(500, 'InternalError', { details: { retryAfterSeconds: 0.05 } }) }], end: 'close' },
      { refuse: broken() },
      { events: [{ type: 'ERROR', object: status(504, 'Timeout') }], end: 'close' },
      { events: [{ type: 'ADDED', object: cm('a', '11') }], end: 'hang' },
    ]);
    const errors: unknown[] = [];
    const started = performance.now();
    const watcher = new RetryWatcher<ConfigMap>('10', open, { ...fast, onError: (error) => errors.push(error) });
    expect(await collect(watcher, 1)).toEqual(['ADDED a@11']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(calls.map((options) => options.resourceVersion)).toEqual(['10', '10', '10', '10']);
    expect(errors).toHaveLength(3);
    expect(watcher.stats.backoffs).toBe(3);
  });

  it('ends with a RetryWatcherError on an event without a resourceVersion', async () => {
    const { open } = scripted([{ events: [{ type: 'MODIFIED', object: cm('a', undefined) }], end: 'hang' }]);
    const error = await collect(new RetryWatcher<ConfigMap>('10', open, fast), 1).catch((thrown: unknown) => thrown);
    expect(RetryWatcherError.isInstance(error) && error.reason).toBe('no-resource-version');
  });

  it('stop() and the signal end a pending iteration and close the watch', async () => {
    for (const how of ['stop', 'signal'] as const) {
      const { open, stops } = scripted([{ events: [], end: 'hang' }]);
      const abort = new AbortController();
      const watcher = new RetryWatcher<ConfigMap>('10', open, { ...fast, signal: abort.signal });
      const iterating = collect(watcher, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (how === 'stop') watcher.stop();
      else abort.abort();
      expect(await iterating).toEqual([]);
      expect(stops()).toBeGreaterThanOrEqual(1);
      expect(() => watcher[Symbol.asyncIterator]()).toThrow(/only once/);
    }
  });
});

/*
 * client-go's tools/watch.RetryWatcher: one watch that survives its stream ending or breaking, by
 * watching again from the last resourceVersion it delivered. The rules, as client-go's:
 * - The initial resourceVersion must be a real one (from a list or an object): "" and "0" are
 *   refused, since a watch from there begins with synthetic ADDED events that a resume repeats.
 * - Every watch asks for bookmarks; a BOOKMARK moves the resourceVersion on and is not delivered.
 * - An event without a resourceVersion ends it: resuming after it could skip events.
 * - 410 Gone/Expired ends it: that resourceVersion is no longer kept, so events may have been
 *   lost; only a relist can say what changed. Every other failure is retried.
 * Where kgo differs: client-go restarts at most once a second; kgo resumes at once after a stream
 * that delivered something (no event is waiting on a timer) and otherwise waits an exponential
 * backoff (1 s doubling to 30 s, jitter), never less than a Status's `retryAfterSeconds`.
 */
import type { KubeObject, ListOptions, WatchEvent } from '@kgo/rest';
import { Backoff, type BackoffOptions } from '../cache/backoff.ts';
import type { Watcher, WatchStream } from '../cache/lister-watcher.ts';
import { isExpiredError, statusErrorFromEvent } from '../cache/watch-errors.ts';
import { RetryWatcherError } from '../errors/retry-watcher-error.ts';
import { sleep } from '../utils/sleep.ts';

/**
 * What a {@link RetryWatcher} opens its watches with: any {@link Watcher} (a typed resource
 * client, a dynamic `resource(gvr).namespace(ns)`, a `ListerWatcher`), or a function that opens
 * one watch with the options given.
 */
export type WatcherClient<T> = Watcher<T> | ((options: ListOptions) => Promise<WatchStream<T>>);

/** An event a {@link RetryWatcher} delivers: a change, never a bookmark or an error. */
export type RetryWatchEvent<T> = Extract<WatchEvent<T>, { type: 'ADDED' | 'MODIFIED' | 'DELETED' }>;

/** Options of {@link RetryWatcher}. */
export interface RetryWatcherOptions {
  /** Stops the watcher (as {@link RetryWatcher.stop}). */
  signal?: AbortSignal | undefined;
  /** Names the watch in messages (`configmaps in namespace "x"`). */
  name?: string | undefined;
  /** Wait before a retry after a failure or an empty stream. Default 1 s doubling to 30 s, jitter 1.0. */
  backoff?: BackoffOptions | undefined;
  /** Told about every failure the watcher retries (a broken stream, a refused watch, an ERROR event other than 410). */
  onError?: ((error: unknown) => void) | undefined;
}

/** Counters of a {@link RetryWatcher}, for health checks and tests. */
export interface RetryWatcherStats {
  /** Watches opened (the first one included). */
  watches: number;
  /** Events delivered. */
  events: number;
  /** Bookmarks received (not delivered). */
  bookmarks: number;
  /** Failures retried (each also told to `onError`). */
  errors: number;
  /** Waits on the backoff. */
  backoffs: number;
}

/**
 * A watch that resumes by itself (client-go's `watch.NewRetryWatcher`): after its stream ends
 * or breaks, it watches again from the resourceVersion of the last event it delivered, so no
 * change is missed or delivered twice. Iterate it once with `for await`; it ends when stopped,
 * and throws when it cannot go on: a `StatusError` 410 (`isResourceExpired`/`isGone`) when the
 * server no longer keeps that resourceVersion — list again and start a new RetryWatcher from
 * the list's resourceVersion — or a {@link RetryWatcherError}.
 *
 * @example
 * ```ts
 * const pods = clientSet.coreV1().pods('default');
 * const list = await pods.list();
 * const watcher = new RetryWatcher(list.metadata!.resourceVersion!, pods, { signal: AbortSignal.timeout(600_000) });
 * for await (const event of watcher) {
 *   console.log(event.type, event.object.metadata?.name, event.object.metadata?.resourceVersion);
 * }
 * ```
 */
export class RetryWatcher<T extends KubeObject> implements AsyncIterable<RetryWatchEvent<T>> {
  readonly #open: (options: ListOptions) => Promise<WatchStream<T>>;
  readonly #name: string;
  readonly #backoff: Backoff;
  readonly #onError: (error: unknown) => void;
  readonly #stop = new AbortController();
  readonly #stats: RetryWatcherStats = { watches: 0, events: 0, bookmarks: 0, errors: 0, backoffs: 0 };
  #resourceVersion: string;
  #iterated = false;

  /**
   * @param initialResourceVersion where to start: a list's or an object's resourceVersion (not `""` or `"0"`)
   * @param watcherClient opens each watch; it is given `resourceVersion` and `allowWatchBookmarks: true`
   * @throws RetryWatcherError for an initial resourceVersion of `""` or `"0"`
   */
  constructor(initialResourceVersion: string, watcherClient: WatcherClient<T>, options: RetryWatcherOptions = {}) {
    this.#name = options.name ?? 'objects';
    if (initialResourceVersion === '' || initialResourceVersion === '0') {
      throw new RetryWatcherError(
        'initial-resource-version',
        `a RetryWatcher for ${this.#name} cannot start from resourceVersion "${initialResourceVersion}": a watch from there begins with synthetic events that a resume would repeat; start from the resourceVersion of a list (or use an informer)`,
      );
    }
    this.#resourceVersion = initialResourceVersion;
    this.#open = typeof watcherClient === 'function' ? watcherClient : (watchOptions) => watcherClient.watch(watchOptions);
    this.#backoff = new Backoff({ initialMs: 1000, ...options.backoff });
    this.#onError = options.onError ?? (() => {});
    const signal = options.signal;
    if (signal?.aborted) this.stop();
    else signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** The resourceVersion of the last event delivered or bookmark received: where the next watch starts. */
  get lastResourceVersion(): string {
    return this.#resourceVersion;
  }

  /** What the watcher did so far. */
  get stats(): Readonly<RetryWatcherStats> {
    return { ...this.#stats };
  }

  /** Aborted once the watcher is stopped or has ended (client-go's `Done()`). */
  get done(): AbortSignal {
    return this.#stop.signal;
  }

  /** Ends the watcher: the open watch is closed and a pending iteration ends. Safe to call twice. */
  stop(): void {
    this.#stop.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<RetryWatchEvent<T>> {
    if (this.#iterated) throw new Error(`a RetryWatcher for ${this.#name} can be iterated only once`);
    this.#iterated = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<RetryWatchEvent<T>, void, undefined> {
    const signal = this.#stop.signal;
    try {
      while (!signal.aborted) {
        let delivered = 0;
        let retryAfterMs = 0;
        let stream: WatchStream<T> | undefined;
        try {
          this.#stats.watches++;
          stream = await this.#open({ resourceVersion: this.#resourceVersion, allowWatchBookmarks: true });
          if (signal.aborted) return;
          const onAbort = () => stream?.stop();
          signal.addEventListener('abort', onAbort, { once: true });
          try {
            for await (const event of stream) {
              if (signal.aborted) return;
              if (event.type === 'ERROR') {
                const what = `watch of ${this.#name} from resourceVersion "${this.#resourceVersion}"`;
                const error = statusErrorFromEvent(event.object, what);
                if (error.status.code === 410 || isExpiredError(error)) throw statusErrorFromEvent(event.object, `${what} cannot be resumed (list again)`);
                retryAfterMs = (event.object.details?.retryAfterSeconds ?? 0) * 1000;
                this.#report(error);
                break;
              }
              const resourceVersion = event.object?.metadata?.resourceVersion;
              if (!resourceVersion) {
                throw new RetryWatcherError('no-resource-version', `a ${event.type} event of the watch of ${this.#name} has no metadata.resourceVersion: the watch cannot be resumed after it`);
              }
              delivered++;
              this.#resourceVersion = resourceVersion;
              if (event.type === 'BOOKMARK') {
                this.#stats.bookmarks++;
                continue;
              }
              this.#stats.events++;
              yield event;
            }
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        } catch (error) {
          if (signal.aborted) return;
          if (RetryWatcherError.isInstance(error) || isExpiredError(error)) throw error;
          this.#report(error);
        } finally {
          stream?.stop();
        }
        // A stream that delivered something made progress: resume at once. One that delivered
        // nothing (refused, cut at once, an error) waits, so a failing server sees no storm.
        if (delivered === 0 || retryAfterMs > 0) {
          this.#stats.backoffs++;
          await sleep(Math.max(this.#backoff.next(), retryAfterMs), signal);
        }
      }
    } finally {
      this.stop();
    }
  }

  #report(error: unknown): void {
    this.#stats.errors++;
    try {
      this.#onError(error);
    } catch {
      // A handler that throws must not end the watcher.
    }
  }
}

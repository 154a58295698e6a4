/*
 * client-go's informers.SharedInformerFactory and dynamicinformer.DynamicSharedInformerFactory:
 * one informer per resource, shared by every caller that asks for it, started and stopped
 * together.
 */
import type { GroupVersionResource, KubeObject, ListOptions } from '@kgo/rest';
import type { Indexers } from '../cache/indexer.ts';
import { Lister } from '../cache/lister.ts';
import { type ListerWatcher, withListOptions } from '../cache/lister-watcher.ts';
import { SharedIndexInformer, type SharedInformerOptions } from '../cache/shared-informer.ts';

/** Makes the ListerWatcher of a resource in a namespace (`''`: all namespaces, or cluster-scoped). */
export type ListerWatcherFactory = (gvr: GroupVersionResource, namespace: string) => ListerWatcher<KubeObject>;

/** Adjusts list and watch options (typically a label or field selector): client-go's `TweakListOptionsFunc`. */
export type TweakListOptions = (options: ListOptions) => ListOptions | void;

/** Options of {@link SharedInformerFactory}. */
export interface SharedInformerFactoryOptions {
  /** Namespace of every informer (default `''`: all namespaces). */
  namespace?: string | undefined;
  /** Default resync period of the informers' handlers (0: none). */
  defaultResyncMs?: number | undefined;
  /** Applied to every list and watch. */
  tweakListOptions?: TweakListOptions | undefined;
  /** Options for every informer the factory makes (reflector tuning, onError, freezeObjects). */
  informerOptions?: Omit<SharedInformerOptions<KubeObject>, 'resyncPeriodMs' | 'indexers'> | undefined;
}

/** Options of one {@link SharedInformerFactory.forResource} call; they take part in the sharing key. */
export interface ForResourceOptions<T> {
  /** Overrides the factory's namespace. */
  namespace?: string | undefined;
  /** Overrides the factory's tweak (compared by identity when sharing). */
  tweakListOptions?: TweakListOptions | undefined;
  /** Index functions added to the (possibly shared) informer. */
  indexers?: Indexers<T> | undefined;
}

/** An informer and a lister over its cache (client-go's `GenericInformer`). */
export interface GenericInformer<T extends KubeObject> {
  readonly informer: SharedIndexInformer<T>;
  readonly lister: Lister<T>;
}

/**
 * Hands out one {@link SharedIndexInformer} per resource, namespace and tweak, so every part of
 * a program that watches ConfigMaps shares one watch and one cache (client-go's
 * `SharedInformerFactory`). `start()` runs every informer made so far that is not running yet;
 * call it again after asking for more.
 *
 * kgo's layers are separate packages, so the factory takes a function that makes a
 * ListerWatcher: the DynamicClient fits directly (see {@link newFilteredDynamicSharedInformerFactory}),
 * typed clients through a function per resource.
 *
 * @example
 * ```ts
 * const factory = new SharedInformerFactory((gvr, ns) => dynamic.resource(gvr).namespace(ns));
 * const pods = factory.forResource<Pod>({ group: '', version: 'v1', resource: 'pods' });
 * factory.start();
 * await factory.waitForCacheSync(AbortSignal.timeout(30_000));
 * pods.lister.byNamespace('default').list();
 * await factory.shutdown();
 * ```
 */
export class SharedInformerFactory {
  readonly #listerWatcherFor: ListerWatcherFactory | undefined;
  readonly #namespace: string;
  readonly #defaultResyncMs: number;
  readonly #tweak: TweakListOptions | undefined;
  readonly #informerOptions: SharedInformerFactoryOptions['informerOptions'];
  readonly #informers = new Map<string, { informer: SharedIndexInformer<KubeObject> }>();
  readonly #tweakIds = new WeakMap<TweakListOptions, number>();
  #nextTweakId = 1;
  readonly #stop = new AbortController();
  readonly #runs = new Map<string, Promise<void>>();

  /**
   * @param listerWatcherFor makes the ListerWatcher of a resource; may be left out when every
   * `forResource` call brings its own
   */
  constructor(listerWatcherFor?: ListerWatcherFactory, options: SharedInformerFactoryOptions = {}) {
    this.#listerWatcherFor = listerWatcherFor;
    this.#namespace = options.namespace ?? '';
    this.#defaultResyncMs = options.defaultResyncMs ?? 0;
    this.#tweak = options.tweakListOptions;
    this.#informerOptions = options.informerOptions;
  }

  /**
   * The shared informer of a resource (made on first use). `listerWatcher`, when given, makes
   * the ListerWatcher for a namespace (e.g. `(ns) => clientSet.coreV1().pods(ns)`); otherwise the
   * factory's function does. The first caller's ListerWatcher is the one used.
   */
  forResource<T extends KubeObject>(
    gvr: GroupVersionResource,
    listerWatcher?: ((namespace: string) => ListerWatcher<T>) | undefined,
    options: ForResourceOptions<T> = {},
  ): GenericInformer<T> {
    const namespace = options.namespace ?? this.#namespace;
    const tweak = options.tweakListOptions ?? this.#tweak;
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}|${namespace}|${this.#tweakId(tweak)}`;
    let entry = this.#informers.get(key);
    if (!entry) {
      if (this.#stop.signal.aborted) throw new Error('this SharedInformerFactory has been shut down');
      let lw: ListerWatcher<T>;
      if (listerWatcher) lw = listerWatcher(namespace);
      else if (this.#listerWatcherFor) lw = this.#listerWatcherFor(gvr, namespace) as unknown as ListerWatcher<T>;
      else throw new Error(`no ListerWatcher for ${describe(gvr)}: pass one to forResource() or give the factory a ListerWatcherFactory`);
      const informer = new SharedIndexInformer<T>(tweak ? withListOptions(lw, tweak) : lw, {
        name: namespace ? `${describe(gvr)} in namespace ${JSON.stringify(namespace)}` : describe(gvr),
        ...(this.#informerOptions as SharedInformerOptions<T>),
        resyncPeriodMs: this.#defaultResyncMs,
      });
      entry = { informer: informer as unknown as SharedIndexInformer<KubeObject> };
      this.#informers.set(key, entry);
    }
    const informer = entry.informer as unknown as SharedIndexInformer<T>;
    if (options.indexers) {
      // Several callers may each add their own indexes; the same name twice is an error only for a different function.
      const existing = informer.getIndexer().getIndexers();
      const fresh = Object.fromEntries(Object.entries(options.indexers).filter(([name, fn]) => existing[name] !== fn));
      if (Object.keys(fresh).length > 0) informer.addIndexers(fresh);
    }
    return { informer, lister: informer.lister() };
  }

  /** Starts every informer that is not running yet (client-go's `Start`). */
  start(signal?: AbortSignal): void {
    if (signal) {
      if (signal.aborted) return void this.shutdown();
      signal.addEventListener('abort', () => void this.shutdown(), { once: true });
    }
    for (const [key, { informer }] of this.#informers) {
      if (this.#runs.has(key)) continue;
      this.#runs.set(key, informer.run(this.#stop.signal));
    }
  }

  /**
   * Waits until every started informer has synced: resolves with each one's result by key
   * (`group/version/resource|namespace|tweak`), false for those that had not synced when
   * `signal` aborted.
   */
  async waitForCacheSync(signal?: AbortSignal): Promise<Map<string, boolean>> {
    const results = new Map<string, boolean>();
    await Promise.all(
      [...this.#informers].filter(([key]) => this.#runs.has(key)).map(async ([key, { informer }]) => results.set(key, await informer.waitForCacheSync(signal))),
    );
    return results;
  }

  /** Stops every informer and resolves once they have all ended (client-go's `Shutdown`). */
  async shutdown(): Promise<void> {
    this.#stop.abort(new Error('informer factory shut down'));
    for (const { informer } of this.#informers.values()) informer.stop();
    await Promise.all(this.#runs.values());
  }

  #tweakId(tweak: TweakListOptions | undefined): number {
    if (!tweak) return 0;
    let id = this.#tweakIds.get(tweak);
    if (id === undefined) this.#tweakIds.set(tweak, (id = this.#nextTweakId++));
    return id;
  }
}

/** `configmaps/v1`, `widgets.example.com/v1`: a resource as kubectl names it, with its version. */
function describe({ group, version, resource }: GroupVersionResource): string {
  return `${resource}${group ? `.${group}` : ''}/${version}`;
}

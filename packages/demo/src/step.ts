import type { HttpClient, RestConfig } from '@kgo/rest';
import type { Output } from './output.ts';
import type { RequestCounter } from './request-counter.ts';

/** What every step gets: the cluster, one shared HttpClient, the request counter, the output. */
export interface StepContext {
  /** The target's config, as loaded (not counted: pass it through `counter.counted` for a client of your own). */
  config: RestConfig;
  /** One HttpClient over the counted config, shared by the steps (client-go: one http.Client per clientset). */
  http: HttpClient;
  /** Counts every request of `http` and of every config passed through it. */
  counter: RequestCounter;
  /** The `limit` of list calls (`--limit`). */
  limit: number;
  /** The folder of the cached discovery step (`./cache`, as client-go's example). */
  cacheDir: string;
  /**
   * A namespace the demo creates on first call and deletes when it ends: the only place a step
   * may change anything on a cluster that is not the embedded one.
   */
  scratchNamespace(): Promise<string>;
  out: Output;
}

/** One walkthrough of the main job. */
export interface Step {
  /** The client it shows, for the heading and `--help`: `RESTClient`. */
  title: string;
  /** What it does, for the heading and `--help`. */
  description: string;
  /** The client-go code it mirrors, printed under the heading. */
  clientGo: string;
  /** Runs the walkthrough, printing its table; returns a short result for the summary (`3 pods`). */
  run(ctx: StepContext): Promise<string>;
}

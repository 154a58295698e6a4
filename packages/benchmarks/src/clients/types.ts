import type { BenchConnection } from '../cluster.ts';

/** The part of a ConfigMap the benchmark looks at. */
export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export interface ConfigMapList {
  metadata?: { resourceVersion?: string; continue?: string };
  items: ConfigMap[];
}

/** Called for every watch event, in order. */
export type WatchListener = (type: string, object: ConfigMap) => void;

/** An established watch: `done` settles when the stream ends (rejects on a stream error); `stop()` ends it. */
export interface BenchWatch {
  done: Promise<void>;
  stop(): void;
}

export interface BenchClient {
  readonly name: string;
  /** GET one ConfigMap, parsed. */
  get(namespace: string, name: string): Promise<ConfigMap>;
  /** LIST every ConfigMap of a namespace in one request (no paging), parsed into objects. */
  list(namespace: string): Promise<ConfigMapList>;
  /** Creates a ConfigMap; resolves with the server's copy. */
  create(namespace: string, configMap: ConfigMap): Promise<ConfigMap>;
  /**
   * Watches a namespace's ConfigMaps from `resourceVersion`; resolves once the server has answered
   * (the watch is established), then calls `listener` for each event.
   */
  watch(namespace: string, resourceVersion: string, listener: WatchListener): Promise<BenchWatch>;
  /** Closes the client's connection pool, where the client has a way to. */
  close(): Promise<void>;
}

export type ClientFactory = (connection: BenchConnection) => BenchClient;

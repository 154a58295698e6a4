import type { BenchConnection } from '../cluster.ts';

/** The part of a ConfigMap the benchmark looks at. */
export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

export interface ConfigMapList {
  metadata?: { resourceVersion?: string; continue?: string };
  items: ConfigMap[];
}

export interface BenchClient {
  readonly name: string;
  /** GET one ConfigMap, parsed. */
  get(namespace: string, name: string): Promise<ConfigMap>;
  /** LIST every ConfigMap of a namespace in one request (no paging), parsed into objects. */
  list(namespace: string): Promise<ConfigMapList>;
  /** Closes the client's connection pool, where the client has a way to. */
  close(): Promise<void>;
}

export type ClientFactory = (connection: BenchConnection) => BenchClient;

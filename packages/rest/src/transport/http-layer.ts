import type * as Undici from 'undici';
import type { KyInstance } from 'ky';

/*
 * ky and undici, loaded on the first request rather than when @kgo/rest is imported. Importing
 * them costs most of kgo's import time, and ky builds a WHATWG Request when its module loads,
 * which wakes Node's own bundled undici (+17 MiB RSS in a bare process) in every program that
 * imports kgo, requests or not (docs/rest.md, "Transport"). After loadHttpLayer() resolves, the
 * bindings below hold undici's dispatcher classes and ky (ES module bindings are live, so the
 * transport's `new Agent(…)` sees them).
 */

/** undici's Agent (set by {@link loadHttpLayer}). */
export let Agent: typeof Undici.Agent;
/** undici's Pool, for the pools a proxy agent makes (set by {@link loadHttpLayer}). */
export let Pool: typeof Undici.Pool;
/** undici's buildConnector, wrapped to watch every connection (set by {@link loadHttpLayer}). */
export let buildConnector: typeof Undici.buildConnector;
/** undici's ProxyAgent, for http(s) CONNECT proxies (set by {@link loadHttpLayer}). */
export let ProxyAgent: typeof Undici.ProxyAgent;
/** undici's Socks5ProxyAgent (set by {@link loadHttpLayer}). */
export let Socks5ProxyAgent: typeof Undici.Socks5ProxyAgent;
/** ky's default instance (set by {@link loadHttpLayer}). */
export let ky: KyInstance;

let loading: Promise<void> | undefined;

/** Loads ky and undici once per process; later calls return the same promise. */
export function loadHttpLayer(): Promise<void> {
  loading ??= Promise.all([import('undici'), import('ky')]).then(
    ([undici, kyModule]) => {
      ({ Agent, buildConnector, Pool, ProxyAgent, Socks5ProxyAgent } = undici);
      ky = kyModule.default;
    },
    (error: unknown) => {
      // A failed load (a broken install) is not cached: the next request tries again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

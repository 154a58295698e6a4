import type * as Http from 'node:http';
import type * as Http2 from 'node:http2';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import type { KyInstance } from 'ky';

/*
 * ky and Node's network modules, loaded on the first request rather than when @kgo/rest is
 * imported: importing them costs most of kgo's import time, and ky builds a WHATWG Request when
 * its module loads, which wakes Node's own bundled undici (+17 MiB RSS in a bare process) in every
 * program that imports kgo, requests or not (docs/rest.md, "Transport"). After loadHttpLayer()
 * resolves, the bindings below hold them (ES module bindings are live, so the transport's
 * `new http.Agent(…)` sees them).
 */

/** node:http (set by {@link loadHttpLayer}). */
export let http: typeof Http;
/** node:http2 (set by {@link loadHttpLayer}). */
export let http2: typeof Http2;
/** node:net (set by {@link loadHttpLayer}). */
export let net: typeof Net;
/** node:tls (set by {@link loadHttpLayer}). */
export let tls: typeof Tls;
/** ky's default instance (set by {@link loadHttpLayer}). */
export let ky: KyInstance;

let loading: Promise<void> | undefined;

/** Loads ky and Node's network modules once per process; later calls return the same promise. */
export function loadHttpLayer(): Promise<void> {
  loading ??= Promise.all([import('node:http'), import('node:http2'), import('node:net'), import('node:tls'), import('ky')]).then(
    ([httpModule, http2Module, netModule, tlsModule, kyModule]) => {
      http = httpModule.default;
      http2 = http2Module.default;
      net = netModule.default;
      tls = tlsModule.default;
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

import type * as Http from 'node:http';
import type * as Http2 from 'node:http2';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import type { KyInstance } from 'ky';
import type * as Pool from './connection-pool.ts';
import type * as ContentEncoding from './content-encoding.ts';

/*
 * ky, Node's network modules and kgo's own connection code (pool, dialer, proxy tunnels, content
 * decoding), loaded on the first request rather than when @kgo/rest is imported: importing them
 * costs most of kgo's import time (each module file is a cost of its own), and ky builds a WHATWG
 * Request when its module loads, which wakes Node's own bundled undici (+17 MiB RSS in a bare process) in every
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
/** The connection pool class (set by {@link loadHttpLayer}). */
export let ConnectionPool: typeof Pool.ConnectionPool;
/** Decodes a whole body by its Content-Encoding (set by {@link loadHttpLayer}). */
export let decode: typeof ContentEncoding.decode;
/** A streaming decoder for a Content-Encoding (set by {@link loadHttpLayer}). */
export let createDecoder: typeof ContentEncoding.createDecoder;
/** ky's default instance (set by {@link loadHttpLayer}). */
export let ky: KyInstance;

let loading: Promise<void> | undefined;

/** Loads ky and Node's network modules once per process; later calls return the same promise. */
export function loadHttpLayer(): Promise<void> {
  loading ??= Promise.all([
    import('node:http'),
    import('node:http2'),
    import('node:net'),
    import('node:tls'),
    import('ky'),
    import('./connection-pool.ts'),
    import('./content-encoding.ts'),
  ]).then(
    ([httpModule, http2Module, netModule, tlsModule, kyModule, poolModule, encodingModule]) => {
      http = httpModule.default;
      http2 = http2Module.default;
      net = netModule.default;
      tls = tlsModule.default;
      ky = kyModule.default;
      ConnectionPool = poolModule.ConnectionPool;
      ({ decode, createDecoder } = encodingModule);
    },
    (error: unknown) => {
      // A failed load (a broken install) is not cached: the next request tries again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

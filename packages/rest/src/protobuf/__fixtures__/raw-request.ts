/*
 * Test-only: one HTTPS request to the test cluster with node:https, outside @kgo/rest, to see
 * exactly what the server puts on the wire (status, Content-Type, body bytes) for a given Accept
 * and Content-Type. TLS verification stays on (the cluster's CA).
 */
import { request } from 'node:https';
import type { RestConfig } from '../../rest-config.ts';

/** What the server answered. */
export interface RawAnswer {
  status: number;
  contentType: string;
  body: Uint8Array;
}

/**
 * Sends one request and reads the answer; with `maxBytes`, stops reading (and closes the
 * connection) once that many body bytes arrived: for watches.
 */
export function rawRequest(
  config: RestConfig,
  method: string,
  path: string,
  headers: Record<string, string>,
  options: { body?: Uint8Array | string; maxBytes?: number; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const url = new URL(path, config.host);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: { ...headers, ...(config.bearerToken ? { authorization: `Bearer ${config.bearerToken}` } : {}) },
        ca: config.tls?.caData,
        cert: config.tls?.certData,
        key: config.tls?.keyData,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        const finish = () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: new Uint8Array(Buffer.concat(chunks)) });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (options.maxBytes !== undefined && length >= options.maxBytes) {
            finish();
            req.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in time`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

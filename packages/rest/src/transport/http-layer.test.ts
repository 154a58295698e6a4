import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/*
 * ky and Node's network modules load on the first request, not on import: a program that imports
 * kgo and sends nothing (a CLI printing its help, a test that mocks the client) loads none of
 * them, and Node's own bundled undici (woken by ky's module, +17 MiB RSS) stays asleep. npm's
 * undici is never loaded: the transport is node:http and node:http2. Checked in a fresh process,
 * which records every module it resolves.
 */

const run = promisify(execFile);
const index = new URL('../index.ts', import.meta.url).href;

// The server runs in this process: node:http, imported in the child, would wake Node's undici itself.
const script = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); resolved.push(result.url); return result; } });
const loaded = () => ({
  undici: resolved.some((url) => url.includes('/undici/')),
  ky: resolved.some((url) => url.includes('/ky/')),
  http2: process.moduleLoadList.includes('NativeModule http2'),
  nodeUndici: process.moduleLoadList.some((name) => name.includes('internal/deps/undici')),
});
const { RestClient } = await import(${JSON.stringify(index)});
const afterImport = loaded();
const client = new RestClient({ host: process.env.KGO_TEST_HOST, qps: -1 });
const afterClient = loaded();
const body = await client.get().absPath('/x').do().into();
const afterRequest = loaded();
await client.close();
console.log(JSON.stringify({ afterImport, afterClient, afterRequest, kind: body.kind }));
`;

describe('the HTTP layer loads on the first request', () => {
  it('leaves ky, node:http2 and Node’s bundled undici unloaded until a request is sent, and npm’s undici for ever', async () => {
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Status"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { stdout } = await run(process.execPath, ['--conditions=@kgo/source', '--input-type=module', '-e', script], {
        timeout: 20_000,
        env: { ...process.env, KGO_TEST_HOST: host },
      });
      const result = JSON.parse(stdout.trim().split('\n').pop() as string);
      expect(result.afterImport).toEqual({ undici: false, ky: false, http2: false, nodeUndici: false });
      expect(result.afterClient).toEqual({ undici: false, ky: false, http2: false, nodeUndici: false });
      expect(result.afterRequest).toMatchObject({ undici: false, ky: true, http2: true });
      expect(result.kind).toBe('Status');
    } finally {
      server.close();
    }
  });
});

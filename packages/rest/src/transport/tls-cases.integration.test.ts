/*
 * Reliability suite 6 (issue #14), TLS cases not covered elsewhere (wrong CA and wrong server
 * name: rest-client.integration.test.ts; refused, expired and not-yet-valid client certificates:
 * client-certificate.integration.test.ts; token file rotation: token-file.integration.test.ts): a plain-HTTP
 * server behind an https URL, and CA bundles holding several certificates.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority } from '@kgo/envtest';
import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestError } from '../errors/request-error.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';

const cluster = testCluster();
const admin = restConfigFor(cluster) as RestConfig;
let dir: string;
let others: string[];
let plain: Server;
let plainPort: number;
let plainRequests = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-tls-cases-'));
  others = [(await createCertificateAuthority(dir, 'a', 'kgo-other-ca-a')).cert, (await createCertificateAuthority(dir, 'b', 'kgo-other-ca-b')).cert];
  plain = createServer((_req, res) => {
    plainRequests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainPort = (plain.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => plain.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function namespaces(config: RestConfig): Promise<unknown> {
  const client = new RestClient({ ...config, qps: -1 }, { groupVersion: { group: '', version: 'v1' } });
  try {
    return (await client.get().resource('namespaces').name('default').do()).into<unknown>();
  } finally {
    await client.close();
  }
}

describe('TLS cases', () => {
  it('a plain-HTTP server behind an https URL: refused at once, saying it may speak plain HTTP', async () => {
    const started = performance.now();
    const error = await namespaces({ host: `https://127.0.0.1:${plainPort}` }).then(() => undefined, (e: unknown) => e);
    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as RequestError).code).toBe('ERR_SSL_WRONG_VERSION_NUMBER');
    expect((error as Error).message).toBe(
      `GET https://127.0.0.1:${plainPort}/api/v1/namespaces/default: the server at 127.0.0.1:${plainPort} did not answer with TLS (ERR_SSL_WRONG_VERSION_NUMBER): it may speak plain HTTP; if so, use an http:// URL, else check the port`,
    );
    // Not a lost connection: not retried (ten retries would take ten seconds).
    expect(performance.now() - started).toBeLessThan(900);
    expect(plainRequests).toBe(0);
  });

  it('a CA bundle of several certificates: verified when any of them signed the server, refused when none did', async () => {
    const bundle = [others[0], cluster.caCert.trim(), others[1]].join('\n');
    expect(await namespaces({ ...admin, tls: { ...admin.tls, caData: bundle } })).toMatchObject({ metadata: { name: 'default' } });
    const error = await namespaces({ ...admin, tls: { ...admin.tls, caData: others.join('\n') } }).then(() => undefined, (e: unknown) => e);
    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/TLS verification of 127\.0\.0\.1:\d+ failed/);
    expect((error as Error).message).not.toContain('BEGIN CERTIFICATE');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { type CertificateFiles, createCertificateAuthority, issueCertificate, issueClientCertificate } from '@kgo/envtest';
import { testCluster } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnauthorized } from '../errors/predicates.ts';
import { RequestError } from '../errors/request-error.ts';
import type { StatusError } from '../errors/status-error.ts';
import { RestClient } from '../rest-client.ts';
import type { RestConfig } from '../rest-config.ts';
import { whoAmI } from './__fixtures__/who-am-i.ts';

/*
 * A client certificate the server does not accept. kube-apiserver itself asks for a certificate
 * without requiring one: it finishes the handshake and treats a certificate it cannot verify as
 * no certificate (401). Load balancers and ingresses that terminate mutual TLS refuse the
 * handshake instead; over TLS 1.3 the client has already finished its side, so the refusal
 * arrives as a closed connection ("other side closed"), which kgo used to retry ten times in
 * ten seconds. The front here is such a terminator on loopback: it requires a certificate signed
 * by the cluster's CA and forwards accepted connections to the real API server.
 */

const cluster = testCluster();
const target = new URL(cluster.server);
let dir: string;
let foreign: CertificateFiles;
let frontCaCert: string;
let frontCa: CertificateFiles;
let front: Server;
let frontUrl: string;
let handshakes = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-client-cert-'));
  // A client certificate for a user the cluster would trust, signed by a CA it does not know.
  const foreignCa = await createCertificateAuthority(dir, 'foreign-ca', 'not-the-cluster-ca');
  foreign = await issueCertificate(dir, 'mallory', foreignCa, { commonName: 'mallory', organizations: ['system:masters'], usage: 'client' });
  frontCa = await createCertificateAuthority(dir, 'front-ca', 'kgo-test-front-ca');
  frontCaCert = frontCa.cert;
  const serving = await issueCertificate(dir, 'front', frontCa, { commonName: 'front', ipAddresses: ['127.0.0.1'], usage: 'server' });
  front = createServer({
    key: serving.key,
    cert: serving.cert,
    ca: cluster.caCert,
    requestCert: true,
    rejectUnauthorized: true,
    ALPNProtocols: ['h2', 'http/1.1'],
  });
  front.on('connection', () => handshakes++);
  front.on('tlsClientError', () => {});
  front.on('secureConnection', (client: TLSSocket) => {
    const upstream = connect({
      host: target.hostname,
      port: Number(target.port),
      ca: cluster.caCert,
      ALPNProtocols: client.alpnProtocol ? [client.alpnProtocol] : ['http/1.1'],
    });
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => front.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const frontConfig = (tls: { certData?: string; keyData?: string }): RestConfig => ({
  host: frontUrl,
  tls: { caData: frontCaCert, ...tls },
  bearerToken: cluster.admin.token,
  qps: -1,
});

/** Everything an error shows: message, stack, JSON, and the cause chain's messages. */
function everythingShown(error: unknown): string {
  const parts: string[] = [String(error), (error as Error).stack ?? '', JSON.stringify(error)];
  for (let cause = (error as Error).cause; cause; cause = (cause as Error).cause) parts.push(String(cause), (cause as Error).stack ?? '');
  return parts.join('\n');
}

async function timed(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await call().then(() => undefined, (e: unknown) => e);
  return { error, ms: performance.now() - started };
}

describe('a client certificate the server does not accept', () => {
  it('kube-apiserver: answers 401 after the handshake (it only asks for a certificate); not retried', async () => {
    const client = new RestClient({ host: cluster.server, tls: { caData: cluster.caCert, certData: foreign.cert, keyData: foreign.key }, qps: -1 });
    const { error, ms } = await timed(() => client.get().absPath('/api').do());
    expect(isUnauthorized(error)).toBe(true);
    expect(ms).toBeLessThan(3000);
    await client.close();
  });

  it('a mutual-TLS front that refuses it: says the TLS handshake was refused and which fields hold the certificate, without retrying', async () => {
    // The cluster's own admin certificate passes the front: the path works.
    const good = new RestClient(frontConfig({ certData: cluster.admin.cert, keyData: cluster.admin.key }));
    expect((await good.get().absPath('/version').do()).into<{ gitVersion: string }>().gitVersion).toMatch(/^v1\./);
    await good.close();

    const before = handshakes;
    const client = new RestClient(frontConfig({ certData: foreign.cert, keyData: foreign.key }));
    const { error, ms } = await timed(() => client.get().absPath('/version').do());
    await client.close();

    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as RequestError).code).toBe('tls-handshake-closed');
    expect((error as Error).message).toBe(
      `GET ${frontUrl}/version: the server closed the connection during or right after the TLS handshake, before sending any HTTP response ` +
        '(other side closed). It may have rejected the client certificate: check tls.certData and tls.keyData ' +
        '(kubeconfig: client-certificate[-data] and client-key[-data]), that a CA the server trusts signed it, ' +
        'that it has not expired and that it allows client authentication',
    );
    // client-go does not retry a refused handshake: one connection, no ten-second retry loop.
    expect(handshakes - before).toBe(1);
    expect(ms).toBeLessThan(3000);
    const shown = everythingShown(error);
    for (const secret of [foreign.key, foreign.cert, cluster.admin.token ?? 'no token']) {
      for (const line of secret.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(shown).not.toContain(line);
    }
  });

  it('a mutual-TLS front and no client certificate: says one is required', async () => {
    const client = new RestClient(frontConfig({}));
    const { error, ms } = await timed(() => client.get().absPath('/version').do());
    await client.close();
    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `GET ${frontUrl}/version: the server at ${new URL(frontUrl).host} requires a client certificate and none was presented ` +
        '(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED): set tls.certData and tls.keyData (kubeconfig: client-certificate[-data] ' +
        'and client-key[-data]), or use credentials it accepts',
    );
    expect(ms).toBeLessThan(3000);
  });
});

describe('a TLS server that drops the connection after reading the request (no client certificate presented)', () => {
  // Node's TLS servers send their session tickets with their first bytes of HTTP, so this close
  // looks like a refused handshake from the socket alone; without a certificate to refuse it is
  // a lost connection, and a GET is retried (client-go: IsProbableEOF).
  it('is a lost connection: a GET is retried and succeeds; with no retries left it says "socket hang up"', async () => {
    const serving = await issueCertificate(dir, 'dropper', frontCa, { commonName: 'dropper', ipAddresses: ['127.0.0.1'], usage: 'server' });
    let requests = 0;
    const dropper = createHttpsServer({ key: serving.key, cert: serving.cert }, (req, res) => {
      requests++;
      if (requests % 2 === 1) req.socket.destroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.0.0"}');
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const host = `https://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
    try {
      const retrying = new RestClient({ host, tls: { caData: frontCaCert }, qps: -1, maxRetries: 1 });
      expect((await retrying.get().absPath('/version').do()).into<{ gitVersion: string }>().gitVersion).toBe('v1.0.0');
      expect(requests).toBe(2);
      await retrying.close();

      const once = new RestClient({ host, tls: { caData: frontCaCert }, qps: -1, maxRetries: 0 });
      const { error } = await timed(() => once.get().absPath('/version').do());
      await once.close();
      expect(requests).toBe(3);
      expect(RequestError.isInstance(error)).toBe(true);
      expect((error as RequestError).code).toBe('ECONNRESET');
      expect((error as Error).message).toBe(`GET ${host}/version: socket hang up (ECONNRESET)`);
    } finally {
      dropper.closeAllConnections();
      await new Promise((resolve) => dropper.close(resolve));
    }
  });
});

describe('client certificates signed by the cluster CA, inside and outside their validity window', () => {
  // kube-apiserver verifies the window when it authenticates, after the handshake, and answers a
  // bare 401 "Unauthorized"; kgo adds which certificate and what is wrong with it.
  const authority = () => {
    if (!cluster.caFile || !cluster.caKeyFile) throw new Error('this test needs the envtest cluster CA (KGO_TEST_CLUSTER from kgo-envtest)');
    return { caFile: cluster.caFile, caKeyFile: cluster.caKeyFile };
  };
  const clientFor = (cert: { cert: string; key: string }) =>
    new RestClient({ host: cluster.server, tls: { caData: cluster.caCert, certData: cert.cert, keyData: cert.key }, qps: -1 });
  const refusal = async (cert: { cert: string; key: string }) => {
    const client = clientFor(cert);
    try {
      return await timed(() => whoAmI(client));
    } finally {
      await client.close();
    }
  };

  it('a current certificate for a new user authenticates as that user', async (context) => {
    if (!cluster.managed) return context.skip('needs the envtest cluster CA');
    const client = clientFor(await issueClientCertificate(authority(), { user: 'alice', groups: ['kgo:devs'] }));
    const info = await whoAmI(client);
    await client.close();
    expect(info.username).toBe('alice');
    expect(info.groups).toEqual(expect.arrayContaining(['kgo:devs', 'system:authenticated']));
  });

  it('an expired certificate: 401, not retried, saying it expired and when, without the certificate', async (context) => {
    if (!cluster.managed) return context.skip('needs the envtest cluster CA');
    const expired = await issueClientCertificate(authority(), {
      user: 'bob',
      groups: ['system:masters'],
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2020-01-02T00:00:00Z'),
    });
    const { error, ms } = await refusal(expired);
    expect(isUnauthorized(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Unauthorized: the client certificate (subject CN=bob) expired at 2020-01-02T00:00:00.000Z: renew it, ' +
        "or point the kubeconfig's client-certificate at a current one",
    );
    expect((error as StatusError).status.message).toBe('Unauthorized');
    expect(ms).toBeLessThan(3000);
    const shown = everythingShown(error);
    for (const secret of [expired.key, expired.cert]) {
      for (const line of secret.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(shown).not.toContain(line);
    }
  });

  it('a certificate that is not valid yet: 401 saying from when, and to check the clock', async (context) => {
    if (!cluster.managed) return context.skip('needs the envtest cluster CA');
    const early = await issueClientCertificate(authority(), { user: 'carol', groups: ['system:masters'], notBefore: new Date('2099-01-01T00:00:00Z') });
    const { error } = await refusal(early);
    expect(isUnauthorized(error)).toBe(true);
    expect((error as Error).message).toBe(
      "Unauthorized: the client certificate (subject CN=carol) is not valid before 2099-01-01T00:00:00.000Z: check this machine's clock, or wait until then",
    );
  });
});

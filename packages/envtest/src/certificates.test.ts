import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateFiles, createCertificateAuthority, issueClientCertificate } from './certificates.ts';

describe('issueClientCertificate', () => {
  let dir: string;
  let ca: CertificateFiles;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgo-certificates-test-'));
    ca = await createCertificateAuthority(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('signs a client certificate for a user and groups with the CA', async () => {
    const { cert, key } = await issueClientCertificate({ caFile: ca.certFile, caKeyFile: ca.keyFile }, { user: 'alice', groups: ['devs', 'ops'] });
    const x509 = new X509Certificate(cert);
    expect(x509.subject.split('\n')).toEqual(['CN=alice', 'O=devs', 'O=ops']);
    expect(x509.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
    expect(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(key))).toBe(true);
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  it('backdates and postdates the validity window on request', async () => {
    const authority = { caFile: ca.certFile, caKeyFile: ca.keyFile };
    const expired = new X509Certificate(
      (await issueClientCertificate(authority, { user: 'old', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-01-02T00:00:00Z') })).cert,
    );
    expect(new Date(expired.validFrom).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(new Date(expired.validTo).toISOString()).toBe('2020-01-02T00:00:00.000Z');
    const future = new X509Certificate((await issueClientCertificate(authority, { user: 'new', notBefore: new Date('2099-01-01T00:00:00Z') })).cert);
    expect(new Date(future.validFrom).toISOString()).toBe('2099-01-01T00:00:00.000Z');
    expect(new Date(future.validTo).toISOString()).toBe('2099-01-08T00:00:00.000Z');
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(
      issueClientCertificate({ caFile: ca.certFile, caKeyFile: ca.keyFile }, { user: 'x', notBefore: new Date('2021-01-02'), notAfter: new Date('2021-01-01') }),
    ).rejects.toThrow(/notAfter .* must be after notBefore/);
  });
});

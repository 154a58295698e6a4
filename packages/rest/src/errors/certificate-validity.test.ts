import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueClientCertificate } from '@kgo/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateValidityProblem } from './certificate-validity.ts';

describe('certificateValidityProblem', () => {
  let dir: string;
  let authority: { caFile: string; caKeyFile: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgo-cert-validity-'));
    const ca = await createCertificateAuthority(dir);
    authority = { caFile: ca.certFile, caKeyFile: ca.keyFile };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const window = { notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2030-02-01T00:00:00Z') };

  it('is undefined inside the window, and names the end or the start outside it', async () => {
    const { cert } = await issueClientCertificate(authority, { user: 'dave', ...window });
    expect(certificateValidityProblem(cert, Date.parse('2030-01-15T00:00:00Z'))).toBeUndefined();
    expect(certificateValidityProblem(cert, Date.parse('2030-02-01T00:00:01Z'))).toBe(
      "the client certificate (subject CN=dave) expired at 2030-02-01T00:00:00.000Z: renew it, or point the kubeconfig's client-certificate at a current one",
    );
    expect(certificateValidityProblem(cert, Date.parse('2029-12-31T23:59:59Z'))).toBe(
      "the client certificate (subject CN=dave) is not valid before 2030-01-01T00:00:00.000Z: check this machine's clock, or wait until then",
    );
  });

  it('says nothing about what is not a certificate (the server answer stands alone), and never echoes input', () => {
    expect(certificateValidityProblem('not a certificate')).toBeUndefined();
    expect(certificateValidityProblem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toBeUndefined();
  });
});

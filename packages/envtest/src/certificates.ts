import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './run.ts';

/** A PEM certificate with its PEM private key, and the files they were written to. */
export interface CertificateFiles {
  /** PEM-encoded certificate. */
  cert: string;
  /** PEM-encoded private key (PKCS#8). */
  key: string;
  certFile: string;
  keyFile: string;
}

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  /** Subject common name: the user name for client certificates. */
  commonName: string;
  /** Subject organizations: the groups for client certificates. */
  organizations?: string[];
  /** DNS names and IP addresses for serving certificates. */
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
}

const DAYS = '7';

/**
 * Creates a self-signed ECDSA P-256 certificate authority in `dir` (`<name>.crt`, `<name>.key`).
 * Uses the `openssl` command, which Debian and most distributions ship.
 */
export async function createCertificateAuthority(dir: string, name = 'ca', commonName = 'kgo-envtest-ca'): Promise<CertificateFiles> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await openssl([
    'req', '-x509', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-keyout', keyFile, '-out', certFile, '-days', DAYS, '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certFile, keyFile };
}

/** Issues a certificate signed by `ca` into `dir` (`<name>.crt`, `<name>.key`). */
export async function issueCertificate(
  dir: string,
  name: string,
  ca: CertificateFiles,
  options: IssueCertificateOptions,
): Promise<CertificateFiles> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const csrFile = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  const subject = [`/CN=${options.commonName}`, ...(options.organizations ?? []).map((o) => `/O=${o}`)].join('');
  await openssl([
    'req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-keyout', keyFile, '-out', csrFile, '-subj', subject,
  ]);
  const altNames = [
    ...(options.dnsNames ?? []).map((n) => `DNS:${n}`),
    ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`),
  ];
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${options.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(altNames.length > 0 ? [`subjectAltName=${altNames.join(',')}`] : []),
  ];
  await writeFile(extFile, `${extensions.join('\n')}\n`);
  await openssl([
    'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-out', certFile, '-days', DAYS, '-sha256', '-extfile', extFile,
  ]);
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certFile, keyFile };
}

/** Writes an RSA private key (PEM) for signing service-account tokens. */
export async function createServiceAccountKey(dir: string): Promise<string> {
  const keyFile = join(dir, 'service-account.key');
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
  return keyFile;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('envtest needs the `openssl` command to make its certificates: install it (Debian: apt-get install openssl).');
    }
    throw error;
  }
}

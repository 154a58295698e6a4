import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  /**
   * Validity window. Default: from now for 7 days. Set either end to make certificates that are
   * expired or not yet valid (for TLS tests); `openssl x509` cannot backdate, so these go through
   * `openssl ca`.
   */
  notBefore?: Date;
  notAfter?: Date;
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
  if (options.notBefore || options.notAfter) {
    await signForWindow(dir, name, ca, csrFile, certFile, extensions, options);
  } else {
    await writeFile(extFile, `${extensions.join('\n')}\n`);
    await openssl([
      'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
      '-out', certFile, '-days', DAYS, '-sha256', '-extfile', extFile,
    ]);
  }
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8'), certFile, keyFile };
}

/**
 * Signs `csrFile` with an explicit validity window through `openssl ca` (its database and serial
 * files live in a folder of their own per certificate, so concurrent calls do not share them).
 */
async function signForWindow(
  dir: string,
  name: string,
  ca: CertificateFiles,
  csrFile: string,
  certFile: string,
  extensions: string[],
  options: IssueCertificateOptions,
): Promise<void> {
  const caDir = join(dir, `${name}.ca`);
  await mkdir(caDir, { recursive: true });
  const notBefore = options.notBefore ?? new Date();
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + Number(DAYS) * 86_400_000);
  if (notAfter <= notBefore) throw new Error(`Certificate ${name}: notAfter (${notAfter.toISOString()}) must be after notBefore (${notBefore.toISOString()}).`);
  await writeFile(join(caDir, 'index.txt'), '');
  await writeFile(join(caDir, 'serial'), `${randomBytes(8).toString('hex')}\n`);
  const config = [
    '[ca]', 'default_ca = envtest',
    '[envtest]', `database = ${join(caDir, 'index.txt')}`, `new_certs_dir = ${caDir}`, `serial = ${join(caDir, 'serial')}`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', 'x509_extensions = extensions',
    '[any]', 'commonName = supplied', 'organizationName = optional',
    '[extensions]', ...extensions.map((line) => line.replace('=', ' = ')),
  ];
  const configFile = join(caDir, 'openssl.cnf');
  await writeFile(configFile, `${config.join('\n')}\n`);
  await openssl([
    'ca', '-batch', '-config', configFile, '-cert', ca.certFile, '-keyfile', ca.keyFile, '-in', csrFile, '-out', certFile,
    '-startdate', opensslTime(notBefore), '-enddate', opensslTime(notAfter), '-notext', '-preserveDN',
  ]);
}

/** `YYYYMMDDHHMMSSZ`, the GeneralizedTime form `openssl ca -startdate/-enddate` takes. */
function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** Options of {@link issueClientCertificate}. */
export interface ClientCertificateOptions {
  /** The user name kube-apiserver reads from the certificate (subject CN). */
  user: string;
  /** The groups (subject O). */
  groups?: string[];
  /** Validity window; default from now for 7 days. */
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * Issues a client certificate signed by a control plane's CA (a `ControlPlane`'s
 * `caFile`/`caKeyFile`, or a managed `TestCluster`'s), in a temporary folder that is removed
 * again. Lets tests authenticate other users, and present expired or not-yet-valid certificates.
 *
 * @example
 * ```ts
 * const expired = await issueClientCertificate(plane, {
 *   user: 'alice',
 *   notBefore: new Date('2020-01-01'),
 *   notAfter: new Date('2020-01-02'),
 * });
 * ```
 */
export async function issueClientCertificate(
  authority: { caFile: string; caKeyFile: string },
  options: ClientCertificateOptions,
): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kgo-envtest-cert-'));
  try {
    const ca = { certFile: authority.caFile, keyFile: authority.caKeyFile, cert: '', key: '' };
    const { cert, key } = await issueCertificate(dir, 'client', ca, {
      commonName: options.user,
      organizations: options.groups ?? [],
      usage: 'client',
      ...(options.notBefore ? { notBefore: options.notBefore } : {}),
      ...(options.notAfter ? { notAfter: options.notAfter } : {}),
    });
    return { cert, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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

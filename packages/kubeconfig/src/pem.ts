import { X509Certificate, createPrivateKey } from 'node:crypto';

/*
 * The checks Go's crypto/tls applies when client-go builds a transport, so a broken CA or a
 * mismatched key pair is refused at load time (naming the field) rather than at the first request.
 * Results never echo the PEM itself.
 */

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const ANY_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/;

/** Why a CA bundle is unusable, or undefined when at least one certificate parses (as Go's `AppendCertsFromPEM`). */
export function caBundleProblem(pem: string): string | undefined {
  if (!ANY_BLOCK.test(pem)) return 'unable to parse bytes as PEM block';
  for (const block of pem.match(CERTIFICATE_BLOCK) ?? []) {
    try {
      new X509Certificate(block);
      return undefined;
    } catch {
      // Go skips unparsable blocks too; one good certificate is enough.
    }
  }
  return 'no valid certificate authority data seen';
}

/** Why a client certificate and key cannot be used together (Go's `tls.X509KeyPair`), or undefined. */
export function keyPairProblem(certPem: string, keyPem: string): string | undefined {
  const first = certPem.match(CERTIFICATE_BLOCK)?.[0];
  if (!first) return 'failed to find any PEM data in certificate input';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(first);
  } catch {
    return 'failed to parse certificate';
  }
  if (!ANY_BLOCK.test(keyPem)) return 'failed to find any PEM data in key input';
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return 'failed to parse private key';
  }
  return cert.checkPrivateKey(key) ? undefined : 'private key does not match public key';
}

import { X509Certificate } from 'node:crypto';

/**
 * Why a client certificate cannot authenticate right now, if its validity window is the reason:
 * kube-apiserver answers such a certificate with a bare 401 ("Unauthorized"), which does not say
 * that the certificate expired. Names the subject's common name (a user name, not a secret) and
 * the dates; never the certificate. Undefined when the certificate is inside its window or is not
 * a certificate Node can read (the server's answer then stands alone).
 */
export function certificateValidityProblem(pem: string, now: number = Date.now()): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return undefined;
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  const subject = commonName(certificate.subject);
  const who = subject ? ` (subject CN=${subject})` : '';
  if (now > notAfter.getTime()) {
    return `the client certificate${who} expired at ${notAfter.toISOString()}: renew it, or point the kubeconfig's client-certificate at a current one`;
  }
  if (now < notBefore.getTime()) {
    return `the client certificate${who} is not valid before ${notBefore.toISOString()}: check this machine's clock, or wait until then`;
  }
  return undefined;
}

function commonName(subject: string): string | undefined {
  return subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
}

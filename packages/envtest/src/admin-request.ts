import { request } from 'node:https';

/** TLS material for one HTTPS endpoint envtest talks to itself (PEM strings). */
export interface AdminCredentials {
  /** CA that verifies the server. */
  ca: string;
  /** Client certificate and key (the admin's). */
  cert: string;
  key: string;
}

/** The answer of {@link adminRequest}: status and body text. */
export interface AdminResponse {
  status: number;
  body: string;
}

/**
 * One HTTPS request from envtest itself (readiness probes, installing CRDs, creating nodes),
 * verified against the cluster's CA and authenticated by client certificate. envtest depends
 * on no other kgo package, so this is Node's `https`, not `@kgo/rest`.
 */
export function adminRequest(
  url: string,
  credentials: AdminCredentials,
  options: { method?: string; body?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<AdminResponse> {
  const { method = 'GET', body, contentType = 'application/json', timeoutMs = 5000 } = options;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = contentType;
    const req = request(url, { method, headers, ca: credentials.ca, cert: credentials.cert, key: credentials.key, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

import { readFile } from 'node:fs/promises';
import type { RestConfig, TlsConfig } from '@kgo/rest';
import type { Selection } from './context-selection.ts';
import { credentialProviderFor } from './credential-provider-for.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { caBundleProblem, keyPairProblem } from './pem.ts';
import { normalizeServer } from './server-url.ts';
import { headerUnsafe } from './unsafe-values.ts';

/** Options of {@link buildRestConfig}. */
export interface BuildRestConfigOptions {
  /** Environment exec plugins inherit. Default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Whether stdin is a terminal, for exec interactive modes. Default `process.stdin.isTTY`. */
  stdinIsTerminal?: boolean | undefined;
  /** Receives refreshed OIDC tokens (client-go writes them back to the kubeconfig). */
  persistAuthProvider?: ((userName: string, config: Record<string, string>) => void | Promise<void>) | undefined;
}

/**
 * Turns a validated selection into a `@kgo/rest` config, as client-go's `DirectClientConfig.ClientConfig`:
 * server (query and fragment dropped; no scheme means http), proxy, compression and impersonation
 * always; credentials and TLS only for https servers. Files are read into PEM data; a `tokenFile`
 * is passed through for periodic re-reading.
 *
 * @throws KubeconfigError for unreadable files, unusable PEM, CA together with insecure, unknown auth providers.
 */
export async function buildRestConfig(selection: Selection, options: BuildRestConfigOptions = {}): Promise<RestConfig> {
  const { cluster, user, userName, clusterName } = selection;
  const host = normalizeServer(cluster.server ?? '');
  const config: RestConfig = { host };
  if (cluster['proxy-url']) config.proxyUrl = cluster['proxy-url'];
  if (cluster['disable-compression']) config.disableCompression = true;
  if (user.as) {
    config.impersonate = { userName: user.as };
    if (user['as-uid']) config.impersonate.uid = user['as-uid'];
    if (user['as-groups']?.length) config.impersonate.groups = [...user['as-groups']];
    if (user['as-user-extra'] && Object.keys(user['as-user-extra']).length > 0) config.impersonate.extra = structuredClone(user['as-user-extra']);
  }
  // client-go never sends credentials to a plain-http server.
  if (new URL(host).protocol !== 'https:') return config;

  const userFile = user.origin;
  const clusterFile = cluster.origin;
  const userField = (key: string) => `users[${userName}].user.${key}`;
  const clusterField = (key: string) => `clusters[${clusterName}].cluster.${key}`;

  if (user.token && user.tokenFile) {
    // client-go keeps both (BearerToken and BearerTokenFile); @kgo/rest, like client-go's
    // transport, sends the file's token whenever the file can be read, else the inline one.
    config.bearerToken = user.token;
    config.bearerTokenFile = user.tokenFile;
  } else if (user.token) config.bearerToken = user.token;
  else if (user.tokenFile) {
    const token = await readText(user.tokenFile, 'tokenFile', userFile, userField('tokenFile'));
    if (token.trim() === '') {
      throw new KubeconfigError(`tokenFile ${user.tokenFile} of user "${userName}" is empty; write the token into it`, {
        file: userFile,
        field: userField('tokenFile'),
      });
    }
    // Read again per request by @kgo/rest (trimmed, as client-go); a line break inside cannot be sent.
    const unsafe = headerUnsafe(token.trim());
    if (unsafe) {
      throw new KubeconfigError(`tokenFile ${user.tokenFile} of user "${userName}" holds a token containing ${unsafe}, which cannot be sent in an HTTP header; write the token alone on one line (its value is not shown)`, {
        file: userFile,
        field: userField('tokenFile'),
      });
    }
    config.bearerTokenFile = user.tokenFile;
  }
  // client-go sends basic auth only with a user name (transport.Config.HasBasicAuth); a lone password goes nowhere.
  if (user.username) {
    config.username = user.username;
    config.password = user.password ?? '';
  }

  const tls: TlsConfig = {};
  if (user['client-certificate'] || user['client-certificate-data']) {
    const certData = user['client-certificate-data']
      ? decode(user['client-certificate-data'])
      : await readText(user['client-certificate']!, 'client-certificate', userFile, userField('client-certificate'));
    const keyData = user['client-key-data']
      ? decode(user['client-key-data'])
      : await readText(user['client-key']!, 'client-key', userFile, userField('client-key'));
    const problem = keyPairProblem(certData, keyData);
    if (problem) {
      throw new KubeconfigError(`client certificate of user "${userName}"${userFile ? ` in ${userFile}` : ''} is unusable: ${problem}; check client-certificate and client-key`, {
        file: userFile,
        field: userField(problem.includes('key') ? 'client-key' : 'client-certificate'),
      });
    }
    tls.certData = certData;
    tls.keyData = keyData;
  }
  const caData = cluster['certificate-authority-data']
    ? decode(cluster['certificate-authority-data'])
    : cluster['certificate-authority']
      ? await readText(cluster['certificate-authority'], 'certificate-authority', clusterFile, clusterField('certificate-authority'))
      : undefined;
  if (caData !== undefined) {
    const problem = caBundleProblem(caData);
    if (problem) {
      throw new KubeconfigError(`unable to load root certificates of cluster "${clusterName}"${clusterFile ? ` in ${clusterFile}` : ''}: ${problem}; put a PEM CA bundle there`, {
        file: clusterFile,
        field: clusterField(cluster['certificate-authority-data'] ? 'certificate-authority-data' : 'certificate-authority'),
      });
    }
    tls.caData = caData;
  }
  if (cluster['insecure-skip-tls-verify']) {
    if (caData !== undefined) {
      throw new KubeconfigError(
        `cluster "${clusterName}"${clusterFile ? ` in ${clusterFile}` : ''}: specifying a root certificates file with the insecure flag is not allowed; remove insecure-skip-tls-verify or the certificate-authority`,
        { file: clusterFile, field: clusterField('insecure-skip-tls-verify') },
      );
    }
    tls.insecure = true;
  }
  if (cluster['tls-server-name']) tls.serverName = cluster['tls-server-name'];
  if (Object.keys(tls).length > 0) config.tls = tls;

  // Made even when unused, so a bad plugin or provider config is reported as client-go reports it.
  const provider = credentialProviderFor(selection, host, caData, options);
  const staticHeader = Boolean(config.bearerToken || config.bearerTokenFile || config.username);
  // client-go's exec authenticator steps aside for a static token, basic auth or client certificate
  // (it neither runs nor adds a certificate), and an auth provider never replaces the Authorization
  // header a static token or basic auth has set.
  const used = user.exec ? !staticHeader && !tls.certData : !staticHeader;
  if (provider && used) config.credentialProvider = provider;
  return config;
}

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

async function readText(path: string, what: string, file: string | undefined, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KubeconfigError(`unable to read ${what} ${path}${file ? ` (referenced from ${file})` : ''}: ${code}; fix the path (relative paths are relative to the kubeconfig's folder)`, {
      file,
      field,
      cause: error,
    });
  }
}

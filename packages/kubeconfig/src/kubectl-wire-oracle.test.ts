import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server as HttpServer, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { type Server as HttpsServer, createServer as createHttpsServer } from 'node:https';
import { type Server as NetServer, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { type CertificateFiles, createCertificateAuthority, issueCertificate } from '@kgo/envtest';
import { RequestError, RestClient, ignoreWarnings } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Entry, flagArgs, jwt, kc, kubectl, simple } from './__fixtures__/kubectl.ts';
import { loadConfig } from './resolve-config.ts';
import type { ConfigOverrides } from './context-selection.ts';

/*
 * The wire oracle. `kubectl config view` ignores --cluster, --user, --namespace, --server,
 * --tls-server-name and --insecure-skip-tls-verify, so the view oracle (kubectl-oracle.test.ts)
 * cannot tell what kubectl does with them. Here kubectl and kgo both talk to a recording HTTPS
 * server on loopback, and the test compares what actually went over the wire: which listener
 * (host:port) was dialled, the TLS SNI, the client certificate presented, the Authorization and
 * Impersonate-* headers, and the request path (namespace, server path prefix). They must also
 * succeed or fail together (a TLS verification failure for the same reason).
 *
 * /usr/bin/kubectl is Google Cloud SDK's version dispatcher: it first asks the server for
 * /version itself (User-Agent `kubectl-dispatcher/…`), then runs the kubectl matching the server
 * version. Only requests whose User-Agent is `kubectl/…` count as kubectl's.
 */

type ListenerName = 'a' | 'b' | 'v6' | 'plain';
type Phase = 'kubectl' | 'kgo';
/** ok, TLS name mismatch, TLS unknown authority, connection refused, anything else. */
type Outcome = 'ok' | 'tls-name' | 'tls-ca' | 'refused' | 'error';

/** One request as the recording server saw it. */
interface Recorded {
  phase: Phase;
  who: 'kubectl' | 'dispatcher' | 'kgo';
  listener: ListenerName;
  host: string;
  sni: string | null;
  /** `CN=<name> <sha256 prefix>` of the client certificate, or null. */
  clientCert: string | null;
  method: string;
  path: string;
  /** The `timeout` query parameter (kubectl's --request-timeout, kgo's timeoutMs). */
  timeout: string | null;
  authorization: string | null;
  /** `impersonate-x: value`, one entry per header line, in wire order. */
  impersonate: string[];
}

/** A TLS handshake (or its failure) as the server saw it. */
interface Handshake {
  phase: Phase;
  listener: ListenerName;
  sni: string | null;
  ok: boolean;
}

/** The comparable part of a request; credentials hashed so assertion messages never show them. */
type WireView = Omit<Recorded, 'phase' | 'who'>;

/** `Bearer #<sha256 prefix>`: equality stays checkable, the value stays out of the output. */
function describeAuth(value: string | null): string | null {
  if (value === null) return null;
  const scheme = value.split(' ')[0] ?? '';
  return `${scheme} #${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

function view(r: Recorded): WireView {
  const { phase: _phase, who: _who, authorization, impersonate, ...rest } = r;
  // Go writes header names sorted, kgo in its own order; the values of one name keep their order.
  const byName = [...impersonate].sort((x, y) => headerName(x).localeCompare(headerName(y)));
  return { ...rest, impersonate: byName, authorization: describeAuth(authorization) };
}

const headerName = (line: string) => line.slice(0, line.indexOf(':'));

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Just enough of an API server for `get --raw /version` and `get configmaps` (legacy discovery). */
function answer(path: string): { status: number; body: unknown } {
  if (path.endsWith('/version')) return { status: 200, body: VERSION };
  if (path.endsWith('/api')) return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
  if (path.endsWith('/apis')) return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [] } };
  if (path.endsWith('/api/v1')) {
    return {
      status: 200,
      body: {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list'], shortNames: ['cm'] }],
      },
    };
  }
  if (/\/api\/v1\/namespaces\/[^/]+\/configmaps$/.test(path)) {
    return { status: 200, body: { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] } };
  }
  return { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${path} not found` } };
}

/** Test PKI: the server's CA, an unrelated CA, the serving certificate and two client certificates. */
interface WirePki {
  dir: string;
  ca: string;
  otherCa: string;
  server: CertificateFiles;
  alice: CertificateFiles;
  bob: CertificateFiles;
}

/** Recording servers for one case: two HTTPS listeners on 127.0.0.1, one on [::1], one plain HTTP. */
class WireServer {
  phase: Phase = 'kubectl';
  readonly requests: Recorded[] = [];
  readonly handshakes: Handshake[] = [];
  readonly urls = new Map<ListenerName, string>();
  readonly #servers: (HttpServer | HttpsServer)[] = [];

  static async start(pki: WirePki, ipv6: boolean): Promise<WireServer> {
    const wire = new WireServer();
    for (const [name, host] of [['a', '127.0.0.1'], ['b', '127.0.0.1'], ['v6', '::1']] as const) {
      if (name === 'v6' && !ipv6) continue;
      // requestCert without rejecting: the server records whatever certificate the client presents.
      const server = createHttpsServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true, rejectUnauthorized: false }, (req, res) =>
        wire.#record(name, req, res),
      );
      server.on('secureConnection', (socket: TLSSocket) => wire.handshakes.push({ phase: wire.phase, listener: name, sni: sniOf(socket), ok: true }));
      server.on('tlsClientError', (_error, socket: TLSSocket) => wire.handshakes.push({ phase: wire.phase, listener: name, sni: sniOf(socket), ok: false }));
      const port = await wire.#listen(server, host);
      wire.urls.set(name, `https://${host.includes(':') ? `[${host}]` : host}:${port}`);
    }
    const plain = createHttpServer((req, res) => wire.#record('plain', req, res));
    wire.urls.set('plain', `http://127.0.0.1:${await wire.#listen(plain, '127.0.0.1')}`);
    return wire;
  }

  #record(listener: ListenerName, req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket as TLSSocket;
    const tls = listener !== 'plain';
    const peer = tls ? socket.getPeerCertificate() : undefined;
    const url = new URL(req.url ?? '/', 'http://recorder');
    const impersonate: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!.toLowerCase();
      if (name.startsWith('impersonate-')) impersonate.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    const agent = req.headers['user-agent'] ?? '';
    this.requests.push({
      phase: this.phase,
      who: agent.startsWith('kubectl-dispatcher/') ? 'dispatcher' : agent.startsWith('kubectl/') ? 'kubectl' : 'kgo',
      listener,
      host: req.headers.host ?? '',
      sni: tls ? sniOf(socket) : null,
      clientCert: peer && Object.keys(peer).length > 0 ? `CN=${String(peer.subject.CN)} ${peer.fingerprint256.slice(0, 23)}` : null,
      method: req.method ?? '',
      path: url.pathname,
      timeout: url.searchParams.get('timeout'),
      authorization: req.headers.authorization ?? null,
      impersonate,
    });
    const { status, body } = answer(url.pathname);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  url(name: ListenerName): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`listener ${name} is not running`);
    return url;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  async #listen(server: HttpServer | HttpsServer, host: string): Promise<number> {
    this.#servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the recording server has no port');
    return address.port;
  }
}

function sniOf(socket: TLSSocket): string | null {
  return (socket as TLSSocket & { servername?: string | false | null }).servername || null;
}

/** Whether this machine can listen on [::1] (some CI sandboxes have no IPv6 loopback). */
async function ipv6Available(): Promise<boolean> {
  const probe: NetServer = createNetServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '::1', () => resolve());
    });
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Cases


// Placeholders, replaced per case: listener URLs, base64 PEM, paths.
const A = { server: '@A@', 'certificate-authority-data': '@CA@' };
const B = { server: '@B@', 'certificate-authority-data': '@CA@' };
const tokenUser = { token: 'tok-alpha' };
const certUser = { 'client-certificate': '@PKI@/alice.crt', 'client-key': '@PKI@/alice.key' };
const certDataUser = { 'client-certificate-data': '@ALICE_CERT@', 'client-key-data': '@ALICE_KEY@' };
const basicUser = { username: 'bob', password: 'pw-bravo' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const execUser = (apiVersion: 'v1' | 'v1beta1', extra: Entry = {}, env: { name: string; value: string }[] = []) => ({
  exec: { apiVersion: `client.authentication.k8s.io/${apiVersion}`, command: '@PLUGIN@', env, ...(apiVersion === 'v1' ? { interactiveMode: 'Never' } : {}), ...extra },
});
const LATER = 4102444800; // 2100-01-01
const oidcUser = (exp: number) => ({ 'auth-provider': { name: 'oidc', config: { 'client-id': 'kgo', 'idp-issuer-url': 'https://127.0.0.1:1', 'id-token': jwt(exp) } } });
const bobCertEnv = [
  { name: 'KGO_EXEC_CERT', value: '@PKI@/bob.crt' },
  { name: 'KGO_EXEC_KEY', value: '@PKI@/bob.key' },
];
/** Three users and two clusters to switch between with --user, --cluster and --context. */
const switchboard = kc({
  current: 'ctx-a',
  clusters: { ca: A, cb: { ...B, 'tls-server-name': 'other.test' } },
  users: { 'u-token': tokenUser, 'u-cert': certUser, 'u-basic': basicUser },
  contexts: { 'ctx-a': { cluster: 'ca', user: 'u-token', namespace: 'one' }, 'ctx-b': { cluster: 'cb', user: 'u-cert', namespace: 'two' } },
});

/** What kubectl must have sent (checks the oracle itself, so agreement is never agreement on nothing). */
interface Expected {
  outcome?: Outcome;
  listener?: ListenerName;
  sni?: string | null;
  /** Client certificate CN, or null for none. */
  cert?: 'alice' | 'bob' | null;
  /** The Authorization header value (placeholders allowed), or null for none. */
  auth?: string | null;
  /** The exec plugin's token: the KUBERNETES_EXEC_INFO `spec.cluster` it was given (null: none). */
  execCluster?: Entry | null;
  path?: string;
  impersonate?: string[];
}

interface WireCase {
  name: string;
  /** Files relative to the workspace; placeholders: @A@ @B@ @V6@ @PLAIN@ (URLs), @CA@ @OTHERCA@ @ALICE_CERT@ @ALICE_KEY@ (base64 PEM), @PKI@, @PLUGIN@, @DIR@. */
  files: Record<string, string>;
  /** KUBECONFIG entries relative to the workspace. Default `['config']`. */
  kubeconfig?: string[];
  flags?: ConfigOverrides;
  /** `version`: `get --raw /version`; `configmaps`: `get configmaps -o name` (namespace in the path). */
  request?: 'version' | 'configmaps';
  expect: Expected;
  needsIpv6?: boolean;
}

const cases: WireCase[] = [
  // Credentials
  { name: 'token user, CA data', files: { config: simple(A, tokenUser) }, expect: { listener: 'a', sni: null, cert: null, auth: 'Bearer tok-alpha', path: '/version' } },
  { name: 'client certificate files', files: { config: simple(A, certUser) }, expect: { cert: 'alice', auth: null } },
  { name: 'client certificate data', files: { config: simple(A, certDataUser) }, expect: { cert: 'alice', auth: null } },
  { name: 'basic auth', files: { config: simple(A, basicUser) }, expect: { cert: null, auth: basic('bob', 'pw-bravo') } },
  // With a certificate, so kubectl does not prompt for a user name (it would with no credential at all).
  { name: 'password without username, client certificate', files: { config: simple(A, { ...certUser, password: 'pw-bravo' }) }, expect: { cert: 'alice', auth: null } },
  { name: 'tokenFile (trailing newline trimmed)', files: { config: simple(A, { tokenFile: 'token' }), token: 'tok-from-file\n' }, expect: { auth: 'Bearer tok-from-file' } },
  { name: 'token and tokenFile both set', files: { config: simple(A, { token: 'tok-inline', tokenFile: 'token' }), token: 'tok-from-file\n' }, expect: { auth: 'Bearer tok-from-file' } },
  { name: 'token and a missing tokenFile', files: { config: simple(A, { token: 'tok-inline', tokenFile: 'no-such-token' }) }, expect: { auth: 'Bearer tok-inline' } },
  { name: 'token and client certificate together', files: { config: simple(A, { ...tokenUser, ...certUser }) }, expect: { cert: 'alice', auth: 'Bearer tok-alpha' } },
  {
    name: 'impersonation: user, uid, two groups, extra',
    files: { config: simple(A, { ...tokenUser, as: 'jane', 'as-uid': '1234', 'as-groups': ['dev', 'ops'], 'as-user-extra': { 'acme.com/project': ['p1', 'p2'] } }) },
    expect: {
      auth: 'Bearer tok-alpha',
      impersonate: ['impersonate-extra-acme.com%2fproject: p1', 'impersonate-extra-acme.com%2fproject: p2', 'impersonate-group: dev', 'impersonate-group: ops', 'impersonate-uid: 1234', 'impersonate-user: jane'],
    },
  },

  { name: 'oidc id-token', files: { config: simple(A, oidcUser(LATER)) }, expect: { cert: null, auth: `Bearer ${jwt(LATER)}` } },
  { name: 'oidc id-token with a client certificate', files: { config: simple(A, { ...certUser, ...oidcUser(LATER) }) }, expect: { cert: 'alice', auth: `Bearer ${jwt(LATER)}` } },
  { name: 'static token next to an expired oidc id-token', files: { config: simple(A, { ...tokenUser, ...oidcUser(1000) }) }, expect: { auth: 'Bearer tok-alpha' } },

  // --user, --cluster, --context, --namespace
  { name: '--user switches to a client certificate', files: { config: switchboard }, flags: { user: 'u-cert' }, expect: { listener: 'a', cert: 'alice', auth: null } },
  { name: '--user switches to basic auth', files: { config: switchboard }, flags: { user: 'u-basic' }, expect: { listener: 'a', cert: null, auth: basic('bob', 'pw-bravo') } },
  { name: '--cluster switches server and tls-server-name', files: { config: switchboard }, flags: { cluster: 'cb' }, expect: { listener: 'b', sni: 'other.test', auth: 'Bearer tok-alpha' } },
  {
    name: '--context picks cluster, user and namespace',
    files: { config: switchboard },
    flags: { context: 'ctx-b' },
    request: 'configmaps',
    expect: { listener: 'b', sni: 'other.test', cert: 'alice', auth: null, path: '/api/v1/namespaces/two/configmaps' },
  },
  {
    name: '--context with --user and --namespace',
    files: { config: switchboard },
    flags: { context: 'ctx-b', user: 'u-token', namespace: 'three' },
    request: 'configmaps',
    expect: { listener: 'b', cert: null, auth: 'Bearer tok-alpha', path: '/api/v1/namespaces/three/configmaps' },
  },
  { name: 'context namespace', files: { config: switchboard }, request: 'configmaps', expect: { listener: 'a', path: '/api/v1/namespaces/one/configmaps' } },
  { name: '--namespace beats the context namespace', files: { config: switchboard }, flags: { namespace: 'over' }, request: 'configmaps', expect: { path: '/api/v1/namespaces/over/configmaps' } },
  { name: 'no namespace anywhere: default', files: { config: simple(A, tokenUser) }, request: 'configmaps', expect: { path: '/api/v1/namespaces/default/configmaps' } },

  // --server, --tls-server-name, --insecure-skip-tls-verify
  { name: 'tls-server-name from the kubeconfig', files: { config: simple({ ...A, 'tls-server-name': 'kgo-oracle.test' }, tokenUser) }, expect: { listener: 'a', sni: 'kgo-oracle.test' } },
  {
    name: '--server replaces the server and clears tls-server-name',
    files: { config: simple({ ...A, 'tls-server-name': 'kgo-oracle.test' }, tokenUser) },
    flags: { server: '@B@' },
    expect: { listener: 'b', sni: null, auth: 'Bearer tok-alpha' },
  },
  {
    name: '--server with --tls-server-name',
    files: { config: simple({ ...A, 'tls-server-name': 'kgo-oracle.test' }, tokenUser) },
    flags: { server: '@B@', tlsServerName: 'other.test' },
    expect: { listener: 'b', sni: 'other.test' },
  },
  { name: '--tls-server-name replaces the kubeconfig one', files: { config: simple({ ...A, 'tls-server-name': 'kgo-oracle.test' }, tokenUser) }, flags: { tlsServerName: 'other.test' }, expect: { sni: 'other.test' } },
  { name: '--tls-server-name the certificate does not cover', files: { config: simple(A, tokenUser) }, flags: { tlsServerName: 'wrong.test' }, expect: { outcome: 'tls-name' } },
  { name: 'CA that did not sign the server certificate', files: { config: simple({ server: '@A@', 'certificate-authority-data': '@OTHERCA@' }, tokenUser) }, expect: { outcome: 'tls-ca' } },
  { name: 'no CA: the system roots do not trust the server', files: { config: simple({ server: '@A@' }, tokenUser) }, expect: { outcome: 'tls-ca' } },
  {
    name: '--insecure-skip-tls-verify replaces a wrong CA',
    files: { config: simple({ server: '@A@', 'certificate-authority-data': '@OTHERCA@' }, tokenUser) },
    flags: { insecureSkipTlsVerify: true },
    expect: { listener: 'a', auth: 'Bearer tok-alpha' },
  },
  {
    name: '--insecure-skip-tls-verify with a name the certificate does not cover',
    files: { config: simple({ server: '@A@', 'certificate-authority-data': '@OTHERCA@', 'tls-server-name': 'kgo-oracle.test' }, tokenUser) },
    flags: { insecureSkipTlsVerify: true, tlsServerName: 'wrong.test' },
    expect: { sni: 'wrong.test' },
  },
  {
    name: '--server to a plain-http server: no credentials, no TLS',
    files: { config: simple(A, { ...tokenUser, ...certUser }) },
    flags: { server: '@PLAIN@' },
    expect: { listener: 'plain', sni: null, cert: null, auth: null },
  },
  {
    name: 'plain http: impersonation still sent',
    files: { config: simple({ server: '@PLAIN@' }, { ...tokenUser, as: 'jane', 'as-groups': ['ops', 'dev'] }) },
    expect: { listener: 'plain', auth: null, impersonate: ['impersonate-group: ops', 'impersonate-group: dev', 'impersonate-user: jane'] },
  },

  // Server URL shapes
  { name: 'IPv6 [::1] server', files: { config: simple({ server: '@V6@', 'certificate-authority-data': '@CA@' }, tokenUser) }, needsIpv6: true, expect: { listener: 'v6', sni: null, auth: 'Bearer tok-alpha' } },
  // kubectl get --raw drops the server's path (RequestURI); kgo's absPath keeps it (see below).
  { name: 'path-prefixed server, get --raw', files: { config: simple({ ...A, server: '@A@/k8s/clusters/c-1' }, tokenUser) }, expect: { listener: 'a', path: '/version' } },
  {
    name: 'path-prefixed server, namespaced list',
    files: { config: simple({ ...A, server: '@A@/prefix/' }, tokenUser, { namespace: 'ns1' }) },
    request: 'configmaps',
    expect: { path: '/prefix/api/v1/namespaces/ns1/configmaps' },
  },

  // KUBECONFIG merges
  {
    name: 'merge: first file wins cluster and user',
    files: {
      first: kc({ current: 'ctx', clusters: { c1: A }, users: { u1: tokenUser }, contexts: { ctx: { cluster: 'c1', user: 'u1' } } }),
      second: kc({ current: 'nope', clusters: { c1: B }, users: { u1: basicUser, u2: certUser } }),
    },
    kubeconfig: ['first', 'second'],
    expect: { listener: 'a', auth: 'Bearer tok-alpha', cert: null },
  },
  {
    name: 'merge: --user and --cluster from the second file',
    files: {
      first: kc({ current: 'ctx', clusters: { c1: A }, users: { u1: tokenUser }, contexts: { ctx: { cluster: 'c1', user: 'u1', namespace: 'first' } } }),
      second: kc({ clusters: { c2: { ...B, 'tls-server-name': 'kgo-oracle.test' } }, users: { u2: certUser } }),
    },
    kubeconfig: ['first', 'second'],
    flags: { user: 'u2', cluster: 'c2' },
    request: 'configmaps',
    expect: { listener: 'b', sni: 'kgo-oracle.test', cert: 'alice', auth: null, path: '/api/v1/namespaces/first/configmaps' },
  },

  // Exec plugins
  { name: 'exec v1 plugin token', files: { config: simple(A, execUser('v1')) }, expect: { cert: null, execCluster: null } },
  {
    name: 'exec v1beta1 with provideClusterInfo',
    files: {
      config: simple(
        { ...A, 'tls-server-name': 'kgo-oracle.test', extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kgo', nested: { list: [1, 2] } } }] },
        execUser('v1beta1', { provideClusterInfo: true }),
      ),
    },
    expect: {
      sni: 'kgo-oracle.test',
      execCluster: { server: '@A@', 'tls-server-name': 'kgo-oracle.test', 'certificate-authority-data': '@CA@', config: { audience: 'kgo', nested: { list: [1, 2] } } },
    },
  },
  {
    name: 'exec provideClusterInfo after --server and --insecure-skip-tls-verify',
    files: { config: simple({ ...A, 'tls-server-name': 'kgo-oracle.test' }, execUser('v1', { provideClusterInfo: true })) },
    flags: { server: '@B@/p', insecureSkipTlsVerify: true },
    expect: { listener: 'b', sni: null, path: '/version', execCluster: { server: '@B@/p', 'insecure-skip-tls-verify': true, config: null } },
  },
  {
    // Go sorts the extension's keys ("10" before "9"), escapes < > & and ends with a newline.
    name: 'exec provideClusterInfo: KUBERNETES_EXEC_INFO byte for byte (unsorted extension, HTML characters)',
    files: {
      config: simple(
        { ...A, 'disable-compression': true, extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { zeta: 1, alpha: '<&>', '9': 'nine', '10': 'ten', nested: { b: 2, a: [1] } } }] },
        execUser('v1', { provideClusterInfo: true }),
      ),
    },
    expect: {
      execCluster: { server: '@A@', 'certificate-authority-data': '@CA@', 'disable-compression': true, config: { zeta: 1, alpha: '<&>', '9': 'nine', '10': 'ten', nested: { b: 2, a: [1] } } },
    },
  },
  { name: 'exec plugin client certificate', files: { config: simple(A, execUser('v1', {}, bobCertEnv)) }, expect: { cert: 'bob', auth: null } },
  {
    name: 'exec plugin next to a static token',
    files: { config: simple(A, { ...tokenUser, ...execUser('v1', {}, bobCertEnv) }) },
    expect: { cert: null, auth: 'Bearer tok-alpha' },
  },
  { name: 'exec plugin next to a static client certificate', files: { config: simple(A, { ...certUser, ...execUser('v1') }) }, expect: { cert: 'alice', auth: null } },
  { name: 'exec plugin on a plain-http server is not run', files: { config: simple({ server: '@PLAIN@' }, execUser('v1')) }, expect: { listener: 'plain', auth: null } },
];

// ---------------------------------------------------------------------------------------------
// Running a case

/**
 * An exec plugin that returns bob's certificate (KGO_EXEC_CERT/KEY), else a token carrying the
 * KUBERNETES_EXEC_INFO it was given, byte for byte: kgo's token equals kubectl's only when kgo
 * sent the same bytes (field order, escaping, final newline).
 */
const PLUGIN = `#!${process.execPath}
const { readFileSync } = require('node:fs');
const raw = process.env.KUBERNETES_EXEC_INFO || '{}';
const info = JSON.parse(raw);
const status = {};
if (process.env.KGO_EXEC_CERT) {
  status.clientCertificateData = readFileSync(process.env.KGO_EXEC_CERT, 'utf8');
  status.clientKeyData = readFileSync(process.env.KGO_EXEC_KEY, 'utf8');
} else {
  status.token = 'exec.' + Buffer.from(raw).toString('base64url');
}
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status }));
`;

function decodeExecToken(authorization: string | null): { apiVersion: string; interactive: boolean; cluster: Entry | null } | undefined {
  const prefix = 'Bearer exec.';
  if (!authorization?.startsWith(prefix)) return undefined;
  const info = JSON.parse(Buffer.from(authorization.slice(prefix.length), 'base64url').toString('utf8')) as { apiVersion: string; spec: { interactive: boolean; cluster?: Entry } };
  return { apiVersion: info.apiVersion, interactive: info.spec.interactive, cluster: info.spec.cluster ?? null };
}

function kubectlOutcome(result: { code: number; stderr: string }): Outcome {
  if (result.code === 0) return 'ok';
  if (/x509: certificate is (valid for|not valid for any names)/.test(result.stderr)) return 'tls-name';
  if (/x509: certificate signed by unknown authority/.test(result.stderr)) return 'tls-ca';
  if (/connection refused/.test(result.stderr)) return 'refused';
  return 'error';
}

function kgoOutcome(error: unknown): Outcome {
  if (error === undefined) return 'ok';
  if (RequestError.isInstance(error)) {
    if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls-name';
    if (error.code && /^(UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_)/.test(error.code)) return 'tls-ca';
    if (error.code === 'ECONNREFUSED') return 'refused';
  }
  return 'error';
}

let pki: WirePki;
let ipv6 = false;
let plugin: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kgo-wire-pki-'));
  // One after the other: openssl's -CAcreateserial writes a serial file next to the CA.
  const ca = await createCertificateAuthority(dir, 'ca', 'kgo-wire-ca');
  const other = await createCertificateAuthority(dir, 'other-ca', 'kgo-wire-other-ca');
  const server = await issueCertificate(dir, 'server', ca, { commonName: 'kgo-wire-server', dnsNames: ['kgo-oracle.test', 'other.test'], ipAddresses: ['127.0.0.1', '::1'], usage: 'server' });
  const alice = await issueCertificate(dir, 'alice', ca, { commonName: 'alice', usage: 'client' });
  const bob = await issueCertificate(dir, 'bob', ca, { commonName: 'bob', usage: 'client' });
  pki = { dir, ca: ca.cert, otherCa: other.cert, server, alice, bob };
  plugin = join(dir, 'exec-plugin.cjs');
  await writeFile(plugin, PLUGIN, { mode: 0o755 });
  ipv6 = await ipv6Available();
});

afterAll(async () => {
  if (pki) await rm(pki.dir, { recursive: true, force: true });
});

function substitute(text: string, wire: WireServer, dir: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return text
    .replaceAll('@A@', wire.url('a'))
    .replaceAll('@B@', wire.url('b'))
    .replaceAll('@V6@', wire.urls.get('v6') ?? 'https://[::1]:1')
    .replaceAll('@PLAIN@', wire.url('plain'))
    .replaceAll('@CA@', b64(pki.ca))
    .replaceAll('@OTHERCA@', b64(pki.otherCa))
    .replaceAll('@ALICE_CERT@', b64(pki.alice.cert))
    .replaceAll('@ALICE_KEY@', b64(pki.alice.key))
    .replaceAll('@PKI@', pki.dir)
    .replaceAll('@PLUGIN@', plugin)
    .replaceAll('@DIR@', dir);
}

function substituteDeep<T>(value: T, wire: WireServer, dir: string): T {
  if (typeof value === 'string') return substitute(value, wire, dir) as T;
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, wire, dir)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, wire, dir)])) as T;
  return value;
}

const certName = (recorded: string | null) => (recorded === null ? null : (/^CN=(\S+)/.exec(recorded)?.[1] ?? recorded));

describe('kubectl wire oracle', () => {
  test('the corpus is large enough', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  test.concurrent.for(cases)('$name', async (c, { skip }) => {
    if (c.needsIpv6 && !ipv6) skip('no IPv6 loopback ([::1]) on this machine');
    const dir = await mkdtemp(join(tmpdir(), 'kgo-wire-'));
    const wire = await WireServer.start(pki, ipv6);
    try {
      const home = join(dir, 'home');
      await mkdir(home);
      for (const [name, text] of Object.entries(c.files)) {
        await mkdir(dirname(join(dir, name)), { recursive: true });
        await writeFile(join(dir, name), substitute(text, wire, dir));
      }
      const kubeconfigEnv = (c.kubeconfig ?? ['config']).map((entry) => join(dir, entry)).join(delimiter);
      const flags = substituteDeep(c.flags ?? {}, wire, dir);
      const request = c.request ?? 'version';
      const expected = substituteDeep(c.expect, wire, dir);

      // kubectl first, then kgo: the phase tells whose handshakes the server saw.
      wire.phase = 'kubectl';
      const args = request === 'version' ? ['get', '--raw', '/version'] : ['get', 'configmaps', '-o', 'name'];
      const run = await kubectl([...args, '--request-timeout=5s', ...flagArgs(flags)], { HOME: home, KUBECONFIG: kubeconfigEnv }, dir);

      wire.phase = 'kgo';
      let kgoError: unknown;
      let hostPath = '';
      try {
        const { config, namespace } = await loadConfig({
          kubeconfig: kubeconfigEnv,
          homeDir: home,
          overrides: flags,
          inCluster: false,
          env: { PATH: process.env.PATH, HOME: home },
          stdinIsTerminal: false,
        });
        // kubectl's --request-timeout=5s is client-go's Config.Timeout: a `timeout` query and a bound.
        config.timeoutMs = 5_000;
        hostPath = new URL(config.host).pathname.replace(/\/$/, '');
        config.maxRetries = 0;
        config.warningHandler = ignoreWarnings;
        if (request === 'version') await new RestClient(config).get().absPath('/version').do();
        else await new RestClient(config, { groupVersion: { group: '', version: 'v1' } }).get().namespace(namespace).resource('configmaps').do();
      } catch (error) {
        kgoError = error;
      }

      // Outcomes: together, and as the case says.
      const kubectlResult = kubectlOutcome(run);
      const kgoResult = kgoOutcome(kgoError);
      // kgo's errors never carry credentials, so their messages may be shown.
      const kgoMessage = kgoError instanceof Error ? kgoError.message : String(kgoError);
      expect(kubectlResult, `kubectl: ${run.stderr.trim()}`).toBe(expected.outcome ?? 'ok');
      expect(kgoResult, `kubectl ${kubectlResult}; kgo: ${kgoMessage}`).toBe(kubectlResult);

      const isTarget = (r: Recorded) => (request === 'version' ? r.path.endsWith('/version') : r.path.endsWith('/configmaps'));
      const kubectlRequests = wire.requests.filter((r) => r.who === 'kubectl');
      const kgoRequests = wire.requests.filter((r) => r.who === 'kgo');
      expect(kgoRequests.every((r) => r.phase === 'kgo')).toBe(true);

      if (kubectlResult !== 'ok') {
        // Refused before any request; the TLS handshakes kgo attempted carry the same server names.
        expect(kubectlRequests).toEqual([]);
        expect(kgoRequests).toEqual([]);
        await until(() => wire.handshakes.some((h) => h.phase === 'kgo'));
        const attempts = (phase: Phase) => [...new Set(wire.handshakes.filter((h) => h.phase === phase).map((h) => `${h.listener} sni=${h.sni} ok=${h.ok}`))].sort();
        expect(attempts('kgo').length).toBeGreaterThan(0);
        for (const attempt of attempts('kgo')) expect(attempts('kubectl')).toContain(attempt);
        return;
      }

      const kubectlTarget = kubectlRequests.filter(isTarget).at(-1);
      const kgoTarget = kgoRequests.filter(isTarget).at(-1);
      expect(kubectlTarget, `kubectl sent no ${request} request`).toBeDefined();
      expect(kgoTarget, `kgo sent no ${request} request`).toBeDefined();
      // Every request kubectl made (discovery included) went out with the same identity.
      for (const r of kubectlRequests) {
        expect({ ...view(r), path: '', timeout: null, method: '' }).toEqual({ ...view(kubectlTarget!), path: '', timeout: null, method: '' });
      }

      // The oracle observed what the case says...
      const seen = view(kubectlTarget!);
      if (expected.listener !== undefined) expect(seen.listener).toBe(expected.listener);
      if (expected.sni !== undefined) expect(seen.sni).toBe(expected.sni);
      if (expected.cert !== undefined) expect(certName(seen.clientCert)).toBe(expected.cert);
      if (expected.auth !== undefined) expect(seen.authorization, 'Authorization (hashed)').toBe(describeAuth(expected.auth));
      if (expected.path !== undefined) expect(seen.path).toBe(expected.path);
      if (expected.impersonate !== undefined) expect(seen.impersonate).toEqual(expected.impersonate);
      if (expected.execCluster !== undefined) {
        const told = decodeExecToken(kubectlTarget!.authorization);
        expect(told, 'the exec plugin token').toBeDefined();
        expect(told!.interactive).toBe(false);
        expect(told!.cluster).toEqual(expected.execCluster === null ? null : sortKeys(expected.execCluster));
      }
      expect(seen.host).toBe(new URL(wire.url(seen.listener)).host);

      // ...and kgo sent the same. `kubectl get --raw` uses client-go's RequestURI, which replaces the
      // server URL's path; kgo's absPath is client-go's AbsPath, which keeps it (as every typed
      // request does: see the namespaced list cases).
      const expectedKgoPath = request === 'version' ? `${hostPath}${seen.path}` : seen.path;
      expect(view(kgoTarget!)).toEqual({ ...seen, path: expectedKgoPath });
    } finally {
      await wire.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Polls `ready` for up to two seconds: the server hears of a refused handshake a moment after the client gave up. */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Entry)[k])]));
  return value;
}

import type { Cluster } from './config-types.ts';

/*
 * KUBERNETES_EXEC_INFO byte for byte as client-go writes it, so plugins that hash, sign or log it
 * see what kubectl sends: client-go's field order (ExecCredential: kind, apiVersion, spec; spec:
 * cluster, interactive; cluster: the order of clientauthentication/v1 `Cluster`), its omitempty
 * rules, Go's `encoding/json` escaping, and the newline its JSON encoder ends with.
 */

/** The name of the cluster extension whose value is passed to plugins as `spec.cluster.config`. */
export const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';

/** The cluster as an exec plugin sees it in `KUBERNETES_EXEC_INFO` (`spec.cluster`), when `provideClusterInfo` is set. */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string | undefined;
  'insecure-skip-tls-verify'?: boolean | undefined;
  /** Base64 of the PEM CA bundle (a CA file is read into it). */
  'certificate-authority-data'?: string | undefined;
  'proxy-url'?: string | undefined;
  'disable-compression'?: boolean | undefined;
  /** The cluster's `client.authentication.k8s.io/exec` extension (`null` when there is none). */
  config?: unknown;
}

/**
 * The cluster as client-go's `rest.ConfigToExecCluster` hands it to a plugin with
 * `provideClusterInfo`: the normalized server, TLS settings, the CA as base64 PEM, proxy,
 * compression, and the `client.authentication.k8s.io/exec` extension as `config`.
 */
export function execClusterInfo(cluster: Cluster, host: string, caData: string | undefined): ExecClusterInfo {
  const info: ExecClusterInfo = { server: host };
  if (cluster['tls-server-name']) info['tls-server-name'] = cluster['tls-server-name'];
  if (cluster['insecure-skip-tls-verify']) info['insecure-skip-tls-verify'] = true;
  if (caData !== undefined) info['certificate-authority-data'] = Buffer.from(caData, 'utf8').toString('base64');
  if (cluster['proxy-url']) info['proxy-url'] = cluster['proxy-url'];
  if (cluster['disable-compression']) info['disable-compression'] = true;
  // client-go's RawExtension is never omitted: no extension is `"config": null`.
  info.config = cluster.extensions?.find((e) => e.name === EXEC_CLUSTER_EXTENSION)?.extension ?? null;
  return info;
}

/**
 * The `KUBERNETES_EXEC_INFO` value for a plugin run: an ExecCredential with `spec.cluster` (when
 * given) and `spec.interactive`, encoded exactly as client-go encodes it (see the file comment).
 * Object keys inside `cluster.config` are sorted, as client-go's kubeconfig decoder leaves them
 * (it round-trips the file through Go maps).
 */
export function encodeExecInfo(apiVersion: string, interactive: boolean, cluster?: ExecClusterInfo): string {
  const spec = cluster ? `"cluster":${clusterJson(cluster)},"interactive":${interactive}` : `"interactive":${interactive}`;
  return `{"kind":"ExecCredential","apiVersion":${goString(apiVersion)},"spec":{${spec}}}\n`;
}

/** clientauthentication/v1 `Cluster` in its field order, with its omitempty rules. */
function clusterJson(cluster: ExecClusterInfo): string {
  const fields = [`"server":${goString(cluster.server)}`];
  if (cluster['tls-server-name']) fields.push(`"tls-server-name":${goString(cluster['tls-server-name'])}`);
  if (cluster['insecure-skip-tls-verify']) fields.push('"insecure-skip-tls-verify":true');
  if (cluster['certificate-authority-data']) fields.push(`"certificate-authority-data":${goString(cluster['certificate-authority-data'])}`);
  if (cluster['proxy-url']) fields.push(`"proxy-url":${goString(cluster['proxy-url'])}`);
  if (cluster['disable-compression']) fields.push('"disable-compression":true');
  // A RawExtension struct: `omitempty` never drops it.
  fields.push(`"config":${goJsonSorted(cluster.config ?? null)}`);
  return `{${fields.join(',')}}`;
}

/** A JSON value as Go writes a decoded `interface{}`: object keys sorted bytewise, Go's escaping. */
function goJsonSorted(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJsonSorted).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Go sorts map keys by their UTF-8 bytes; JavaScript objects would put integer-like keys first,
    // so the order is made here, not left to the object. Below U+10000 and outside the surrogates,
    // UTF-16 code-unit order (`<`) is UTF-8 byte order.
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${goString(key)}:${goJsonSorted(record[key])}`).join(',')}}`;
  }
  return 'null';
}

/** A JSON string as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped too. */
function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

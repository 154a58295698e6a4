import { access, constants } from 'node:fs/promises';
import { redactUrl } from '@kgo/rest';
import type { AuthInfo, Cluster, Kubeconfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { execNulProblems, headerUnsafe } from './unsafe-values.ts';
import type { Selection } from './context-selection.ts';

/*
 * client-go's validation.go rules, with messages that name the file and field and say what to
 * do. Values of credentials never appear in messages.
 */

/** One validation finding. */
export interface ValidationProblem {
  message: string;
  file?: string | undefined;
  field?: string | undefined;
}

const INTERACTIVE_MODES = new Set(['Never', 'IfAvailable', 'Always']);
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:']);
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function where(file: string | undefined): string {
  return file ? ` in ${file}` : '';
}

/** Problems of one user entry (client-go `validateAuthInfo`), file checks included. */
export async function validateAuthInfo(name: string, user: AuthInfo, file?: string): Promise<ValidationProblem[]> {
  const problems: ValidationProblem[] = [];
  const at = `users[${name}].user`;
  const add = (field: string, message: string) => problems.push({ message: `${message}${where(file)}`, file, field: `${at}.${field}` });
  // A line break would end the Authorization header (and a Go client refuses it when sending).
  // Not so a password: basic auth sends it base64-encoded, and so does client-go.
  const problem = user.token ? headerUnsafe(user.token) : undefined;
  if (problem) add('token', `the token of user "${name}" contains ${problem}, which cannot be sent in an HTTP header; fix the token (its value is not shown)`);
  const methods: string[] = [];
  if (user.token) methods.push('token');
  if (user.username || user.password) methods.push('basicAuth');
  if (user['client-certificate'] || user['client-certificate-data']) {
    if (user['client-certificate'] && user['client-certificate-data']) {
      add('client-certificate-data', `user "${name}" sets both client-certificate and client-certificate-data; remove one`);
    }
    if (user['client-key'] && user['client-key-data']) {
      add('client-key-data', `user "${name}" sets both client-key and client-key-data; remove one`);
    }
    if (!user['client-key'] && !user['client-key-data']) {
      add('client-key', `user "${name}" has a client certificate but no client-key or client-key-data; add the private key`);
    }
    if (user['client-certificate'] && !(await readable(user['client-certificate']))) {
      add('client-certificate', `unable to read client-certificate ${user['client-certificate']} for user "${name}"; fix the path (relative paths are relative to the kubeconfig's folder)`);
    }
    if (user['client-key'] && !(await readable(user['client-key']))) {
      add('client-key', `unable to read client-key ${user['client-key']} for user "${name}"; fix the path (relative paths are relative to the kubeconfig's folder)`);
    }
  }
  if (user.exec) {
    const exec = user.exec;
    if (user['auth-provider']) add('auth-provider', `user "${name}" sets both auth-provider and exec; keep only exec`);
    if (!exec.command) add('exec.command', `user "${name}" has an exec plugin without command; set exec.command to the plugin executable`);
    for (const problem of execNulProblems(exec)) add(problem.field, `user "${name}": ${problem.message}; remove it`);
    if (!exec.apiVersion) add('exec.apiVersion', `user "${name}" has an exec plugin without apiVersion; set client.authentication.k8s.io/v1`);
    exec.env?.forEach((variable, i) => {
      if (!variable.name) add(`exec.env[${i}].name`, `user "${name}" has an exec env variable without name`);
    });
    if (!exec.interactiveMode) {
      add('exec.interactiveMode', `user "${name}" has an exec plugin without interactiveMode (required by ${exec.apiVersion || 'v1'}); set Never, IfAvailable or Always`);
    } else if (!INTERACTIVE_MODES.has(exec.interactiveMode)) {
      add('exec.interactiveMode', `user "${name}" has an invalid exec interactiveMode "${exec.interactiveMode}"; use Never, IfAvailable or Always`);
    }
  }
  if (methods.length > 1) {
    add(methods.includes('token') ? 'token' : 'username', `more than one authentication method found for user "${name}" (${methods.join(' and ')}); only one is allowed, remove the others`);
  }
  if ((user['as-uid'] || user['as-groups']?.length || Object.keys(user['as-user-extra'] ?? {}).length) && !user.as) {
    add('as', `user "${name}" requests as-uid, as-groups or as-user-extra without impersonating a user; set "as" too`);
  }
  return problems;
}

/** Problems of one cluster entry (client-go `validateClusterInfo`). `undefined` means "empty cluster". */
export async function validateCluster(name: string, cluster: Cluster, file?: string): Promise<ValidationProblem[] | undefined> {
  if (Object.keys(cluster).filter((key) => key !== 'origin').length === 0) return undefined;
  const problems: ValidationProblem[] = [];
  const at = `clusters[${name}].cluster`;
  const add = (field: string, message: string) => problems.push({ message: `${message}${where(file)}`, file, field: `${at}.${field}` });
  if (!cluster.server) {
    add('server', name ? `no server found for cluster "${name}"; set clusters[${name}].cluster.server to the API server URL` : 'default cluster has no server defined; set a server');
  }
  const proxy = cluster['proxy-url'];
  if (proxy) {
    let scheme: string | undefined;
    try {
      scheme = new URL(proxy).protocol;
    } catch {
      scheme = undefined;
    }
    // User info redacted: a proxy URL may carry a password, also where it cannot be parsed.
    if (scheme === undefined) {
      add('proxy-url', `invalid proxy-url "${redactUrl(proxy)}" for cluster "${name}": it is not a URL; write it as http://host:port (or https://, socks5://)`);
    } else if (!PROXY_SCHEMES.has(scheme)) {
      add('proxy-url', `invalid proxy-url "${redactUrl(proxy)}" for cluster "${name}": unsupported scheme "${scheme.slice(0, -1)}", must be http, https, or socks5`);
    }
  }
  if (cluster['certificate-authority'] && cluster['certificate-authority-data']) {
    add('certificate-authority-data', `cluster "${name}" sets both certificate-authority and certificate-authority-data; remove one`);
  }
  if (cluster['certificate-authority'] && !(await readable(cluster['certificate-authority']))) {
    add('certificate-authority', `unable to read certificate-authority ${cluster['certificate-authority']} for cluster "${name}"; fix the path (relative paths are relative to the kubeconfig's folder)`);
  }
  return problems;
}

/**
 * client-go's `ConfirmUsable` for a selection: the chosen context exists, the user and cluster are
 * valid. Returns `'empty'` when nothing at all is configured (no cluster: "no configuration has
 * been provided"), which lets the caller fall back to in-cluster config.
 *
 * @throws KubeconfigError `invalid configuration: ...` listing every problem.
 */
export async function confirmUsable(config: Kubeconfig, selection: Selection): Promise<'ok' | 'empty'> {
  const problems: ValidationProblem[] = [];
  if (selection.contextName && !config.contexts.has(selection.contextName)) {
    problems.push({
      message: `context was not found for specified context: ${selection.contextName}; set current-context to one of the defined contexts or pass a context`,
      field: 'current-context',
    });
  }
  problems.push(...(await validateAuthInfo(selection.userName, selection.user, selection.user.origin)));
  const clusterProblems = await validateCluster(selection.clusterName, selection.cluster, selection.cluster.origin);
  if (clusterProblems === undefined) {
    if (problems.length === 0) return 'empty';
    problems.push({
      message: selection.clusterName
        ? `cluster "${selection.clusterName}" (named by context "${selection.contextName}"${where(selection.context.origin)}) is not defined, so there is no server; define it or fix the context`
        : 'cluster has no server defined; the context names no cluster',
      field: 'cluster',
      file: selection.context.origin,
    });
  } else {
    problems.push(...clusterProblems);
  }
  throwProblems(problems);
  return 'ok';
}

/**
 * Full-file validation (client-go `Validate`): every context's references and namespace, every
 * user and cluster. Stricter than what kubectl checks before a request; use it for linting.
 */
export async function validateKubeconfig(config: Kubeconfig): Promise<ValidationProblem[]> {
  const problems: ValidationProblem[] = [];
  if (config.currentContext && !config.contexts.has(config.currentContext)) {
    problems.push({ message: `context was not found for specified context: ${config.currentContext}`, field: 'current-context' });
  }
  for (const [name, context] of config.contexts) {
    const at = `contexts[${name}].context`;
    const file = context.origin;
    if (!context.user) problems.push({ message: `user was not specified for context "${name}"${where(file)}`, file, field: `${at}.user` });
    else if (!config.users.has(context.user)) {
      problems.push({ message: `user "${context.user}" was not found for context "${name}"${where(file)}`, file, field: `${at}.user` });
    }
    if (!context.cluster) problems.push({ message: `cluster was not specified for context "${name}"${where(file)}`, file, field: `${at}.cluster` });
    else if (!config.clusters.has(context.cluster)) {
      problems.push({ message: `cluster "${context.cluster}" was not found for context "${name}"${where(file)}`, file, field: `${at}.cluster` });
    }
    if (context.namespace && (context.namespace.length > 63 || !DNS1123_LABEL.test(context.namespace))) {
      problems.push({
        message: `namespace "${context.namespace}" for context "${name}" does not conform to the kubernetes DNS_LABEL rules${where(file)}`,
        file,
        field: `${at}.namespace`,
      });
    }
  }
  for (const [name, user] of config.users) problems.push(...(await validateAuthInfo(name, user, user.origin)));
  for (const [name, cluster] of config.clusters) {
    problems.push(...((await validateCluster(name, cluster, cluster.origin)) ?? [{ message: `cluster "${name}" is empty`, file: cluster.origin, field: `clusters[${name}]` }]));
  }
  return problems;
}

/** Throws one KubeconfigError listing all problems (naming the first one's file and field). */
export function throwProblems(problems: ValidationProblem[]): void {
  if (problems.length === 0) return;
  const first = problems[0]!;
  const message = problems.length === 1 ? first.message : `[${problems.map((p) => p.message).join(', ')}]`;
  throw new KubeconfigError(`invalid configuration: ${message}`, { file: first.file, field: first.field });
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

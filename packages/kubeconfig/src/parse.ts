import { parseDocument, type YAMLError } from 'yaml';
import type {
  AuthInfo,
  AuthProviderConfig,
  Cluster,
  Context,
  ExecConfig,
  ExecEnvVar,
  Kubeconfig,
  Located,
  NamedExtension,
  Preferences,
} from './config-types.ts';
import { emptyKubeconfig } from './config-types.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';

/*
 * One kubeconfig document → Kubeconfig. Mirrors client-go's decoder: YAML 1.1 (`yes` is a
 * boolean), JSON-typed fields (a number where a string belongs is an error, never coerced),
 * unknown fields ignored, `*-data` must be valid base64, a name used twice in one list is an
 * error, an empty document is an empty config.
 */

type Json = Record<string, unknown>;

/** Parses kubeconfig text. `file` is recorded as each entry's origin and named in errors. */
export function parseKubeconfig(text: string, file?: string): Kubeconfig {
  const config = emptyKubeconfig();
  if (text.trim() === '') return config;
  const doc = parseDocument(text, {
    version: '1.1',
    merge: true,
    prettyErrors: false,
    // Go's YAML decoder leaves timestamps as strings; so must we.
    customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  if (doc.errors.length > 0) {
    throw fail(file, undefined, `is not valid YAML: ${yamlProblem(doc.errors[0]!, text)}`, 'fix the YAML syntax (indentation, quoting)');
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw fail(file, undefined, `is not valid YAML: ${(error as Error).message}`, 'fix the YAML syntax');
  }
  if (root === null || root === undefined) return config;
  const r = new Reader(file);
  const top = r.object(root, '');
  if (!top) return config;
  const apiVersion = r.string(top, 'apiVersion', '');
  const kind = r.string(top, 'kind', '');
  if ((apiVersion && apiVersion !== 'v1') || (kind && kind !== 'Config')) {
    throw fail(file, apiVersion !== 'v1' ? 'apiVersion' : 'kind', `is a ${kind || '(no kind)'} of apiVersion ${apiVersion || '(none)'}, not a kubeconfig`, 'a kubeconfig has `apiVersion: v1` and `kind: Config`');
  }
  config.currentContext = r.string(top, 'current-context', '') ?? '';
  config.preferences = r.preferences(top.preferences, 'preferences');
  config.extensions = r.extensions(top.extensions, 'extensions') ?? [];
  r.named(top.clusters, 'clusters', 'cluster', config.clusters, (v, p) => r.cluster(v, p));
  r.named(top.users, 'users', 'user', config.users, (v, p) => r.authInfo(v, p));
  r.named(top.contexts, 'contexts', 'context', config.contexts, (v, p) => r.context(v, p));
  return config;
}

/**
 * The YAML parser's complaint without the source it quotes (its messages end with the offending
 * text, which may be a token or a key: found by parse.fuzz.test.ts), with the position instead.
 */
function yamlProblem(error: YAMLError, text: string): string {
  const what = error.message.split('\n')[0]!.split(':')[0]!.trim();
  const before = text.slice(0, error.pos[0]).split('\n');
  return `${what} (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function fail(file: string | undefined, field: string | undefined, problem: string, fix: string): KubeconfigError {
  const where = file === undefined ? 'kubeconfig' : `error loading config file "${file}"`;
  const what = field ? `${field} ${problem}` : problem;
  return new KubeconfigError(`${where}: ${what}; ${fix}`, { file, field });
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Typed field access that fails like Go's JSON decoder: wrong type = error, null = absent. */
class Reader {
  readonly file: string | undefined;

  constructor(file: string | undefined) {
    this.file = file;
  }

  private join(path: string, key: string): string {
    return path ? `${path}.${key}` : key;
  }

  private wrongType(path: string, expected: string, value: unknown): KubeconfigError {
    return fail(this.file, path, `must be ${expected}, not ${typeName(value)}`, `write ${path} as ${expected}`);
  }

  object(value: unknown, path: string): Json | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) throw this.wrongType(path || '(top level)', 'a map', value);
    return value as Json;
  }

  string(obj: Json, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') throw this.wrongType(this.join(path, key), 'a string (quote it)', value);
    return value;
  }

  boolean(obj: Json, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.wrongType(this.join(path, key), 'true or false (unquoted)', value);
    return value;
  }

  strings(obj: Json, key: string, path: string): string[] | undefined {
    const value = obj[key];
    if (value === null || value === undefined) return undefined;
    const at = this.join(path, key);
    if (!Array.isArray(value)) throw this.wrongType(at, 'a list of strings', value);
    return value.map((item, i) => {
      if (typeof item !== 'string') throw this.wrongType(`${at}[${i}]`, 'a string', item);
      return item;
    });
  }

  base64(obj: Json, key: string, path: string): string | undefined {
    const value = this.string(obj, key, path);
    if (value === undefined) return undefined;
    // Go's decoder skips line breaks and wants padded standard base64.
    const compact = value.replace(/[\r\n]/g, '');
    if (!BASE64.test(compact)) {
      const at = this.join(path, key);
      throw fail(this.file, at, 'is not valid base64', `put the base64 of the PEM file there (base64 -w0 < file), or use ${key.replace(/-data$/, '')} with a path`);
    }
    return Buffer.from(compact, 'base64').toString('base64');
  }

  named<T>(
    value: unknown,
    path: string,
    itemKey: string,
    into: Map<string, Located<T>>,
    read: (value: unknown, path: string) => T,
  ): void {
    if (value === null || value === undefined) return;
    if (!Array.isArray(value)) throw this.wrongType(path, `a list of {name, ${itemKey}}`, value);
    value.forEach((item, i) => {
      const entry = this.object(item, `${path}[${i}]`) ?? {};
      const name = this.string(entry, 'name', `${path}[${i}]`) ?? '';
      const at = `${path}[${name}]`;
      if (into.has(name)) {
        throw fail(this.file, `${path}[${i}].name`, `repeats the name "${name}"`, `names in ${path} must be unique within one file: rename or remove one`);
      }
      const body = read(entry[itemKey], `${at}.${itemKey}`) as Located<T>;
      into.set(name, this.file === undefined ? body : { ...body, origin: this.file });
    });
  }

  extensions(value: unknown, path: string): NamedExtension[] | undefined {
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.wrongType(path, 'a list of {name, extension}', value);
    return value.map((item, i) => {
      const entry = this.object(item, `${path}[${i}]`) ?? {};
      return { name: this.string(entry, 'name', `${path}[${i}]`) ?? '', extension: entry.extension ?? null };
    });
  }

  preferences(value: unknown, path: string): Preferences {
    const obj = this.object(value, path);
    if (!obj) return {};
    return compact({ colors: this.boolean(obj, 'colors', path), extensions: this.extensions(obj.extensions, `${path}.extensions`) });
  }

  cluster(value: unknown, path: string): Cluster {
    const obj = this.object(value, path) ?? {};
    return compact({
      server: this.string(obj, 'server', path),
      'tls-server-name': this.string(obj, 'tls-server-name', path),
      'insecure-skip-tls-verify': this.boolean(obj, 'insecure-skip-tls-verify', path),
      'certificate-authority': this.string(obj, 'certificate-authority', path),
      'certificate-authority-data': this.base64(obj, 'certificate-authority-data', path),
      'proxy-url': this.string(obj, 'proxy-url', path),
      'disable-compression': this.boolean(obj, 'disable-compression', path),
      extensions: this.extensions(obj.extensions, `${path}.extensions`),
    });
  }

  context(value: unknown, path: string): Context {
    const obj = this.object(value, path) ?? {};
    return compact({
      cluster: this.string(obj, 'cluster', path),
      user: this.string(obj, 'user', path),
      namespace: this.string(obj, 'namespace', path),
      extensions: this.extensions(obj.extensions, `${path}.extensions`),
    });
  }

  authInfo(value: unknown, path: string): AuthInfo {
    const obj = this.object(value, path) ?? {};
    return compact({
      'client-certificate': this.string(obj, 'client-certificate', path),
      'client-certificate-data': this.base64(obj, 'client-certificate-data', path),
      'client-key': this.string(obj, 'client-key', path),
      'client-key-data': this.base64(obj, 'client-key-data', path),
      token: this.string(obj, 'token', path),
      tokenFile: this.string(obj, 'tokenFile', path),
      as: this.string(obj, 'as', path),
      'as-uid': this.string(obj, 'as-uid', path),
      'as-groups': this.strings(obj, 'as-groups', path),
      'as-user-extra': this.extra(obj, path),
      username: this.string(obj, 'username', path),
      password: this.string(obj, 'password', path),
      'auth-provider': this.authProvider(obj['auth-provider'], `${path}.auth-provider`),
      exec: this.exec(obj.exec, `${path}.exec`),
      extensions: this.extensions(obj.extensions, `${path}.extensions`),
    });
  }

  private extra(obj: Json, path: string): Record<string, string[]> | undefined {
    const at = this.join(path, 'as-user-extra');
    const map = this.object(obj['as-user-extra'], at);
    if (!map) return undefined;
    const out: Record<string, string[]> = {};
    for (const key of Object.keys(map)) out[key] = this.strings(map, key, at) ?? [];
    return out;
  }

  private authProvider(value: unknown, path: string): AuthProviderConfig | undefined {
    const obj = this.object(value, path);
    if (!obj) return undefined;
    const config = this.object(obj.config, `${path}.config`);
    const out: AuthProviderConfig = { name: this.string(obj, 'name', path) ?? '' };
    if (config) {
      out.config = {};
      for (const key of Object.keys(config)) out.config[key] = this.string(config, key, `${path}.config`) ?? '';
    }
    return out;
  }

  private exec(value: unknown, path: string): ExecConfig | undefined {
    const obj = this.object(value, path);
    if (!obj) return undefined;
    const apiVersion = this.string(obj, 'apiVersion', path) ?? '';
    let interactiveMode = this.string(obj, 'interactiveMode', path);
    // client-go's v1 defaulting: only the beta API had an implicit mode.
    if (!interactiveMode && (apiVersion === 'client.authentication.k8s.io/v1beta1' || apiVersion === 'client.authentication.k8s.io/v1alpha1')) {
      interactiveMode = 'IfAvailable';
    }
    let env: ExecEnvVar[] | undefined;
    if (obj.env !== null && obj.env !== undefined) {
      if (!Array.isArray(obj.env)) throw this.wrongType(`${path}.env`, 'a list of {name, value}', obj.env);
      env = obj.env.map((item, i) => {
        const entry = this.object(item, `${path}.env[${i}]`) ?? {};
        return { name: this.string(entry, 'name', `${path}.env[${i}]`) ?? '', value: this.string(entry, 'value', `${path}.env[${i}]`) ?? '' };
      });
    }
    const exec = compact({
      command: this.string(obj, 'command', path) ?? '',
      args: this.strings(obj, 'args', path),
      env,
      apiVersion,
      installHint: this.string(obj, 'installHint', path),
      provideClusterInfo: this.boolean(obj, 'provideClusterInfo', path),
      interactiveMode,
    });
    // client-go prints `command` even when empty (no omitempty), and ExecConfig promises a string.
    return exec.command === undefined ? { ...exec, command: '' } : exec;
  }
}

/** Drops undefined and empty-string fields, as Go's `omitempty` does when printing. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === '') continue;
    out[key] = item;
  }
  return out as T;
}

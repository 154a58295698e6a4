/*
 * Reliability suite 5 (issue #14), kubeconfig parsing: whatever a kubeconfig file holds (wrong
 * types, broken YAML, JSON, garbage), parseKubeconfig returns a config or throws a
 * KubeconfigError, in bounded time, and never shows the credentials in it: the marker secrets
 * seeded into tokens, passwords, keys and provider configs never appear in an error.
 * Fixed seed; KGO_FUZZ_RUNS for more.
 */
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { parseKubeconfig } from './parse.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 14);
const FILE = '/home/dev/.kube/config';
const secret = fc.constantFrom(...MARKER_SECRETS);
const base64Secret = secret.map((s) => Buffer.from(s).toString('base64'));
/** Right type or wrong type: the parser must say which field, not crash. */
const either = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })) });
const name = fc.oneof(fc.constantFrom('dev', 'prod', 'kind-kind'), fc.string({ maxLength: 12 }));

const user = fc.record(
  {
    token: either(secret),
    password: either(secret),
    username: either(fc.string()),
    'client-key-data': either(fc.oneof(base64Secret, secret)),
    'client-certificate-data': either(fc.oneof(base64Secret, secret)),
    'auth-provider': either(fc.record({ name: fc.constantFrom('oidc', 'gcp'), config: fc.record({ 'id-token': secret, 'refresh-token': secret, 'client-secret': secret }) })),
    exec: either(fc.record({ command: fc.string(), apiVersion: fc.constantFrom('client.authentication.k8s.io/v1', 'x'), env: fc.array(fc.record({ name: fc.string(), value: secret }), { maxLength: 2 }) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const cluster = fc.record({ server: either(fc.constantFrom('https://127.0.0.1:6443', 'http://x', 'not a url')), 'certificate-authority-data': either(fc.oneof(base64Secret, fc.string())), 'insecure-skip-tls-verify': either(fc.boolean()) }, { requiredKeys: [] });
const kubeconfig = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'v2', ''),
    kind: fc.constantFrom('Config', 'Secret'),
    'current-context': either(name),
    clusters: either(fc.array(fc.record({ name: either(name), cluster: either(cluster) }, { requiredKeys: [] }), { maxLength: 3 })),
    users: either(fc.array(fc.record({ name: either(name), user: either(user) }, { requiredKeys: [] }), { maxLength: 3 })),
    contexts: either(fc.array(fc.record({ name: either(name), context: either(fc.record({ cluster: name, user: name, namespace: fc.string() }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

/** A mutation of the text: a slice removed, or YAML punctuation inserted. */
const mutation = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.array(fc.constantFrom(':', '-', ' ', '\n', '"', "'", '*', '&', '{', '[', '!', '|', '\t', '<<: *a', '? '), { maxLength: 3 }) });
const document = fc.record({ config: kubeconfig, json: fc.boolean(), mutations: fc.array(mutation, { maxLength: 3 }) }).map(({ config, json, mutations }) => {
  let text = json ? JSON.stringify(config) : stringify(config);
  for (const { at, remove, insert } of mutations) {
    const i = text.length === 0 ? 0 : at % text.length;
    text = text.slice(0, i) + insert.join('') + text.slice(i + remove);
  }
  return text;
});

function outcome(text: string): unknown {
  try {
    parseKubeconfig(text, FILE);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe(`kubeconfig parsing, fuzzed (${RUNS} runs, seed ${SEED})`, () => {
  it('a config or a KubeconfigError naming the file, never a secret', () => {
    const tally = { configs: 0, errors: 0 };
    fc.assert(
      fc.property(document, (text) => {
        const started = performance.now();
        const error = outcome(text);
        expect(performance.now() - started).toBeLessThan(1000);
        if (error === undefined) return void tally.configs++;
        tally.errors++;
        expect(KubeconfigError.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toContain(FILE);
        expect(secretsIn(error, MARKER_SECRETS), (error as Error).message).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`[suite 5] kubeconfig: ${tally.configs} parsed, ${tally.errors} typed errors, none quoting a secret`);
    expect(tally.configs).toBeGreaterThan(0);
    expect(tally.errors).toBeGreaterThan(0);
  });

  it('alias bombs and deep nesting end in bounded time', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    for (const text of [bomb, `${'['.repeat(5000)}${']'.repeat(5000)}`, `users:\n${'  - '.repeat(2000)}x`]) {
      const started = performance.now();
      const error = outcome(text);
      expect(performance.now() - started).toBeLessThan(3000);
      if (error !== undefined) expect(KubeconfigError.isInstance(error), String(error)).toBe(true);
    }
  });
});

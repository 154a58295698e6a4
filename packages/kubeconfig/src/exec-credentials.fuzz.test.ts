/*
 * Reliability suite 5 (issue #14), exec plugin output: whatever a credential plugin prints, the
 * provider returns credentials or throws an ExecCredentialError, in bounded time, and never shows
 * the credential: the marker secrets seeded into the token, the key, the certificate and into
 * garbage output never appear in an error. The plugin is `cat` of a file holding the output.
 * Fixed seed; KGO_FUZZ_RUNS for more (a process per run: fewer runs than the pure parsers).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecCredentialError } from './errors/exec-credential-error.ts';
import { ExecCredentialProvider } from './exec-credentials.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 14);
const API_VERSION = 'client.authentication.k8s.io/v1';
const secret = fc.constantFrom(...MARKER_SECRETS);
const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(secret, { maxLength: 2 }), fc.dictionary(fc.string(), secret, { maxKeys: 2 }));
const either = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: wrong });

const credential = fc.record(
  {
    apiVersion: fc.constantFrom(API_VERSION, 'client.authentication.k8s.io/v1beta1', ''),
    kind: fc.constantFrom('ExecCredential', 'Secret'),
    spec: fc.record({ interactive: fc.boolean() }),
    status: either(
      fc.record(
        {
          token: either(fc.oneof(secret, secret.map((s) => `${s}\r\n`))),
          clientCertificateData: either(secret),
          clientKeyData: either(secret),
          expirationTimestamp: either(fc.oneof(fc.constant('2099-01-01T00:00:00Z'), fc.string(), secret)),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
/** A well-formed credential: the token is a marker (header-safe ones), so a success must not leak either. */
const valid = fc.record({ token: fc.constantFrom(...MARKER_SECRETS.filter((s) => !s.includes('\n'))), expirationTimestamp: fc.constantFrom('2099-01-01T00:00:00Z', undefined) }).map((status) =>
  JSON.stringify({ apiVersion: API_VERSION, kind: 'ExecCredential', status }),
);
const output = fc.oneof(
  valid,
  credential.map((c) => JSON.stringify(c)),
  credential.map((c) => JSON.stringify(c, null, 2).slice(0, -3)), // cut short
  fc.tuple(fc.string(), secret, fc.string()).map(([a, s, b]) => `${a}token: ${s}${b}`), // not JSON
  fc.tuple(credential, fc.string()).map(([c, junk]) => `${JSON.stringify(c)}${junk}`),
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-exec-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`exec plugin output, fuzzed (${RUNS} runs, seed ${SEED})`, () => {
  it('credentials or an ExecCredentialError, never a secret', { timeout: 120_000 }, async () => {
    let n = 0;
    const tally = { credentials: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(output, async (text) => {
        const file = join(dir, `out-${n++}.json`);
        await writeFile(file, text);
        const provider = new ExecCredentialProvider({ exec: { command: 'cat', args: [file], apiVersion: API_VERSION }, userName: 'dev', file: '/home/dev/.kube/config', stdinIsTerminal: false });
        const started = performance.now();
        const result = await provider.getCredentials(AbortSignal.timeout(10_000)).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(performance.now() - started).toBeLessThan(10_000);
        if (result === undefined) return void tally.credentials++;
        tally.errors++;
        expect(ExecCredentialError.isInstance(result), String(result)).toBe(true);
        expect(secretsIn(result, MARKER_SECRETS), (result as Error).message).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`[suite 5] exec output: ${tally.credentials} credentials, ${tally.errors} typed errors, none quoting a secret`);
    expect(tally.credentials).toBeGreaterThan(0);
    expect(tally.errors).toBeGreaterThan(0);
  });
});

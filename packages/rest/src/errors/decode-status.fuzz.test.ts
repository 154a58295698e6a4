/*
 * Reliability suite 5 (issue #14), Status decoding: whatever an error response carries, the
 * result is a StatusError with the HTTP code (or the Status's own), in bounded time, and the
 * marker secrets seeded into the body never appear in it, except where client-go itself quotes the
 * body: a 5xx without a canned message shows its first 200 characters. Fixed seed; KGO_FUZZ_RUNS for more.
 */
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatusError } from './decode-status.ts';
import { StatusError } from './status-error.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 14);
const request = { verb: 'GET', url: 'https://127.0.0.1:6443/api/v1/namespaces/default/secrets/app', resource: 'secrets', name: 'app' };
const secret = fc.constantFrom(...MARKER_SECRETS);
const code = fc.oneof(fc.constantFrom(400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504), fc.integer({ min: 100, max: 999 }));
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', '', 'application/vnd.kubernetes.protobuf');

/** A Status-like body with secrets in fields that are not Status's (Status's own carry what the server means people to read). */
const statusBody = fc.record(
  {
    kind: fc.constantFrom('Status', 'Secret', 'status'),
    apiVersion: fc.constantFrom('v1', 'v2', ''),
    status: fc.constantFrom('Failure', 'Success', 'Unknown'),
    message: fc.string(),
    reason: fc.string(),
    code: fc.oneof(fc.integer(), fc.constant(0)),
    details: fc.record({ name: fc.string(), causes: fc.array(fc.record({ field: fc.string(), message: fc.string() })) }, { requiredKeys: [] }),
    metadata: fc.record({ resourceVersion: fc.string() }, { requiredKeys: [] }),
    data: fc.dictionary(fc.string(), secret),
    spec: fc.record({ token: secret, password: secret }),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  statusBody.map((b) => JSON.stringify(b)),
  // Anything, with a secret somewhere past the 200 characters a 5xx may quote.
  fc.tuple(fc.string({ minLength: 201, maxLength: 300 }).filter((s) => s.trim().length > 200), secret, fc.string()).map(([head, s, tail]) => `${head}${s}${tail}`),
  fc.tuple(fc.string({ maxLength: 40 }), secret, fc.string({ maxLength: 40 })).map(([a, s, b]) => `<html>${a}${s}${b}</html>`),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

describe(`Status decoding, fuzzed (${RUNS} runs, seed ${SEED})`, () => {
  it('always a StatusError, never a secret but where client-go quotes a 5xx body', () => {
    fc.assert(
      fc.property(code, contentType, body, (status, type, text) => {
        const started = performance.now();
        const error = decodeStatusError(status, type, new TextEncoder().encode(text), request, undefined);
        expect(performance.now() - started).toBeLessThan(200);
        expect(StatusError.isInstance(error)).toBe(true);
        expect(typeof error.code).toBe('number');
        const quoted = text.trim().slice(0, 200);
        // A secret may show only inside the quoted head of a 5xx body (client-go's NewGenericServerResponse).
        expect(secretsIn(error, MARKER_SECRETS).filter((s) => !(error.code >= 500 && quoted.includes(s))), error.message).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

/*
 * Reliability suite 5 (issue #14), watch frames: whatever bytes a watch stream carries, cut
 * anywhere, the decoder returns frames or throws a DecodeError, in bounded time, and never quotes
 * the stream (a watch on Secrets carries their data): the marker secrets seeded into objects and
 * into garbage never appear in an error. Fixed seed; KGO_FUZZ_RUNS for more runs.
 */
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import { decodeWatchEvent, type JsonObject, JsonFrameDecoder } from './watch-decoder.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 14);
const request = { verb: 'GET', url: 'https://127.0.0.1:6443/api/v1/secrets?watch=true', resource: 'secrets' };
const secret = fc.constantFrom(...MARKER_SECRETS);
const text = fc.oneof(fc.string(), secret, fc.string({ unit: 'binary' }));

/** A watch event whose object holds secrets. */
const event = fc.record({
  type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'),
  object: fc.record({ kind: fc.constant('Secret'), metadata: fc.record({ name: fc.string() }), data: fc.dictionary(fc.string(), text), stringData: fc.array(text) }),
});

/** A stream: events serialized (compact or pretty), with garbage bytes spliced in, cut into chunks. */
const stream = fc
  .record({
    events: fc.array(event, { maxLength: 6 }),
    pretty: fc.boolean(),
    garbage: fc.array(fc.record({ at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ maxLength: 16 }), secret.map((s) => new TextEncoder().encode(s)), fc.constantFrom('{', '}', '"', '\\', '\n', ']').map((s) => new TextEncoder().encode(s))) }), { maxLength: 3 }),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
  })
  .map(({ events, pretty, garbage, cuts }) => {
    let bytes = new TextEncoder().encode(events.map((e) => (pretty ? JSON.stringify(e, null, 2) : JSON.stringify(e))).join('\n'));
    for (const { at, bytes: junk } of garbage) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      bytes = new Uint8Array([...bytes.subarray(0, i), ...junk, ...bytes.subarray(i)]);
    }
    const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let last = 0;
    for (const point of [...points, bytes.length]) {
      chunks.push(bytes.subarray(last, point));
      last = point;
    }
    return { events, chunks, clean: garbage.length === 0 };
  });

/** Decodes a stream as Watch does: frames, then each frame checked as an event. */
function decodeAll(chunks: Uint8Array[]): { events: JsonObject[]; error: unknown } {
  const decoder = new JsonFrameDecoder(request);
  const events: JsonObject[] = [];
  try {
    for (const chunk of chunks) for (const frame of decoder.push(chunk)) events.push(decodeWatchEvent<JsonObject>(frame, request) as unknown as JsonObject);
    decoder.end();
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

describe(`watch frame decoding, fuzzed (${RUNS} runs, seed ${SEED})`, () => {
  it('decodes clean streams exactly, however cut; anything else is a DecodeError that quotes no secret', () => {
    fc.assert(
      fc.property(stream, ({ events, chunks, clean }) => {
        const started = performance.now();
        const { events: decoded, error } = decodeAll(chunks);
        expect(performance.now() - started).toBeLessThan(1000);
        if (clean) {
          expect(error).toBeUndefined();
          expect(decoded).toEqual(events);
        }
        if (error !== undefined) {
          expect(DecodeError.isInstance(error), String(error)).toBe(true);
          expect(secretsIn(error, MARKER_SECRETS), `${(error as Error).message} | ${JSON.stringify(error)}`).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('random bytes and JSON values: frames or a DecodeError, never another error, never a secret', () => {
    const anything = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      fc.array(fc.oneof(fc.string(), secret, fc.constantFrom('{', '}', '"', '\\', '\n', '[', ']', '{"type":"ADDED","object":')), { maxLength: 20 }).map((parts) => new TextEncoder().encode(parts.join(''))),
    );
    fc.assert(
      fc.property(fc.array(anything, { maxLength: 5 }), (chunks) => {
        const { error } = decodeAll(chunks);
        if (error !== undefined) {
          expect(DecodeError.isInstance(error), String(error)).toBe(true);
          expect(secretsIn(error, MARKER_SECRETS), `${(error as Error).message} | ${JSON.stringify(error)}`).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

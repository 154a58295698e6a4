/*
 * The protobuf decoders against garbage: whatever the bytes (random, or a valid message cut or
 * flipped), decoding the envelope, a Status, a watch event or a frame stream either succeeds or
 * throws a DecodeError, in bounded time (no hang, no RangeError, no other error class), and a
 * DecodeError's message never carries the marker secrets seeded into the input. Fixed seed;
 * KGO_FUZZ_RUNS for more.
 */
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import { decodeStatusError } from '../errors/decode-status.ts';
import { StatusError } from '../errors/status-error.ts';
import { decodeProtobufBody } from './decode-object.ts';
import { decodeEnvelope, encodeEnvelope } from './envelope.ts';
import { decodeStatusMessage, encodeStatusMessage } from './status-message.ts';
import { decodeWatchEventMessage, encodeWatchFrame, LengthDelimitedFrameDecoder } from './watch-frames.ts';
import { configMapCodec, encodeConfigMap } from './__fixtures__/config-map-codec.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 15);
const request = { verb: 'GET', url: 'https://127.0.0.1:6443/api/v1/namespaces/default/configmaps/app', resource: 'configmaps', name: 'app' };
const secret = fc.constantFrom(...MARKER_SECRETS);
const utf8 = new TextEncoder();

/** Valid messages with a secret inside, to be cut, flipped and spliced. */
const validMessage = fc.oneof(
  secret.map((s) => encodeEnvelope({ apiVersion: 'v1', kind: 'ConfigMap' }, encodeConfigMap({ metadata: { name: 'app' }, data: { token: s } }))),
  fc.tuple(secret, fc.string()).map(([s, message]) =>
    encodeEnvelope({ apiVersion: 'v1', kind: 'Status' }, encodeStatusMessage({ status: 'Failure', message, reason: 'Invalid', code: 422, details: { causes: [{ field: s }] } })),
  ),
  secret.map((s) => encodeWatchFrame('ADDED', encodeEnvelope({ apiVersion: 'v1', kind: 'Secret' }, utf8.encode(s)))),
);

/** Random bytes, a valid message with bytes flipped, cut short, or with garbage spliced in. */
const input = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(validMessage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([bytes, flips]) => {
    const copy = bytes.slice();
    for (const [at, value] of flips) copy[at % copy.length] = value;
    return copy;
  }),
  fc.tuple(validMessage, fc.nat()).map(([bytes, cut]) => bytes.subarray(0, cut % (bytes.length + 1))),
  fc.tuple(validMessage, fc.nat(), fc.uint8Array({ maxLength: 20 })).map(([bytes, at, junk]) => {
    const where = at % (bytes.length + 1);
    return new Uint8Array([...bytes.subarray(0, where), ...junk, ...bytes.subarray(where)]);
  }),
);

/** Runs `decode`; anything but a DecodeError fails. Returns the error, if any. */
function decodeOrDecodeError(decode: () => unknown): DecodeError | undefined {
  try {
    decode();
    return undefined;
  } catch (error) {
    expect(DecodeError.isInstance(error), `${(error as Error).name}: ${(error as Error).message}`).toBe(true);
    return error as DecodeError;
  }
}

describe('protobuf decoding of garbage', () => {
  it('envelope, Status, watch event and body decoding: a result or a DecodeError, quickly, never quoting the input', () => {
    fc.assert(
      fc.property(input, (bytes) => {
        const started = performance.now();
        const errors = [
          decodeOrDecodeError(() => decodeEnvelope(bytes)),
          decodeOrDecodeError(() => decodeStatusMessage(bytes)),
          decodeOrDecodeError(() => decodeStatusMessage(bytes.subarray(4))),
          decodeOrDecodeError(() => decodeWatchEventMessage(bytes)),
          decodeOrDecodeError(() => decodeWatchEventMessage(bytes.subarray(4))),
          decodeOrDecodeError(() => decodeProtobufBody(bytes, configMapCodec(), request)),
        ];
        // The decoding alone (the secret scan below is slow by design): a few hundred bytes take well under a
        // millisecond, so a second means a loop that does not advance; the margin is for a loaded machine.
        expect(performance.now() - started).toBeLessThan(1000);
        for (const error of errors) if (error) expect(secretsIn(error, MARKER_SECRETS)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the frame decoder, fed the input in random pieces: frames or a DecodeError, bytes conserved', () => {
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const decoder = new LengthDelimitedFrameDecoder(1 << 16);
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        let framed = 0;
        const error = decodeOrDecodeError(() => {
          for (const to of [...points, bytes.length]) {
            for (const frame of decoder.push(bytes.subarray(from, to))) framed += 4 + frame.length;
            from = to;
          }
          decoder.end();
        });
        // Without an error, every byte belonged to a frame.
        if (error === undefined) expect(framed).toBe(bytes.length);
        else expect(secretsIn(error, MARKER_SECRETS)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('a protobuf error body always gives a StatusError with a code, never quoting the body', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(400, 404, 409, 422, 500, 503), (bytes, code) => {
        const error = decodeStatusError(code, 'application/vnd.kubernetes.protobuf', bytes, request, undefined);
        expect(StatusError.isInstance(error)).toBe(true);
        expect(error.code).toBeGreaterThan(0);
        // The secrets sit in a cause's field, which the Status carries (as over JSON) but the message never shows.
        expect(secretsIn(error.message, MARKER_SECRETS)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

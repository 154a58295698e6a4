import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors/decode-error.ts';
import { decodeWatchEvent, type JsonObject, JsonFrameDecoder } from './watch-decoder.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `chunks` and then ends the stream; returns every frame. */
function decodeAll(chunks: Uint8Array[], decoder = new JsonFrameDecoder()): JsonObject[] {
  const frames: JsonObject[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  decoder.end();
  return frames;
}

/** `text` cut into chunks of `size` bytes (a multi-byte character may be cut too). */
function chunked(text: string | Uint8Array, size: number): Uint8Array[] {
  const all = typeof text === 'string' ? bytes(text) : text;
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) chunks.push(all.subarray(at, at + size));
  return chunks;
}

/** The error `run` throws (fails the test if it throws none). */
function thrown(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    return error as DecodeError;
  }
  throw new Error('expected an error');
}

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('JsonFrameDecoder', () => {
  it('returns several newline-terminated frames from one chunk', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(bytes('{"a":1}\n{"b":2}\n'))).toEqual([{ a: 1 }, { b: 2 }]);
    decoder.end();
  });

  it('joins a frame split across chunks, at every byte boundary, with and without newlines between frames', () => {
    const frames = ['{"type":"ADDED","object":{"s":"br{ace}s \\" and \\\\ \\u00e9 ü \\n"}}', '{"type":"DELETED","object":{}}', '{"x":[{"y":"}"}]}'];
    const expected = frames.map((frame) => JSON.parse(frame) as unknown);
    for (const separator of ['\n', '', ' ', '\r\n', '\n\n']) {
      const all = bytes(frames.join(separator) + separator);
      for (let cut = 1; cut < all.length; cut++) {
        expect(decodeAll([all.slice(0, cut), all.slice(cut)]), `separator ${JSON.stringify(separator)}, cut at ${cut}`).toEqual(expected);
      }
    }
  });

  it('decodes frames concatenated without newlines, several on one line, and pretty-printed over many lines', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(bytes('{"n":1}{"n":2} {"n":3}\n{"n":4}\n'))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(decoder.push(bytes('{\n  "n": 5,\n  "o": {\n    "p": "}\\n{"\n  }\n}\n{"n":6}\n'))).toEqual([{ n: 5, o: { p: '}\n{' } }, { n: 6 }]);
    expect(decoder.push(bytes('  \n\t\r\n{"n":7}'))).toEqual([{ n: 7 }]);
    decoder.end();
  });

  it('delivers a complete frame at once, before the newline that ends it arrives', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(bytes('{"n":1}\n{"n":2}'))).toEqual([{ n: 1 }, { n: 2 }]);
    expect(decoder.push(bytes('\n{"n":'))).toEqual([]);
    expect(decoder.push(bytes('3}'))).toEqual([{ n: 3 }]);
    decoder.end();
  });

  it('decodes random streams in random chunks: any separator, compact or pretty frames, tricky strings', () => {
    const pieces = ['a', '{', '}', '"', '\\', '\n', 'é', '😀', ' ', '[', ']', ':', ',', '\u2028', '\u0000'];
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const pick = <V>(values: readonly V[]): V => values[Math.floor(next() * values.length)] as V;
      const string = () => Array.from({ length: Math.floor(next() * 8) }, () => pick(pieces)).join('');
      const objects = Array.from({ length: 1 + Math.floor(next() * 6) }, (_, n) => ({
        type: 'ADDED',
        object: { n, name: string(), data: { [string()]: string(), list: [string(), { deep: string() }] } },
      }));
      const text = objects
        .map((object) => (next() < 0.3 ? JSON.stringify(object, null, 2) : JSON.stringify(object)) + pick(['\n', '', ' ', '\r\n', '\n\n', '\t']))
        .join('');
      const all = bytes(text);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < all.length; ) {
        const size = 1 + Math.floor(next() * 40);
        chunks.push(all.slice(at, at + size));
        at += size;
      }
      expect(decodeAll(chunks), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(objects);
    }
  });

  it('rejects anything but whitespace between frames: garbage, a stray brace', () => {
    expect(thrown(() => decodeAll([bytes('{"a":1} nope')])).message).toBe('unexpected "n" between watch events (after 1 events)');
    expect(thrown(() => decodeAll([bytes('{"a":1}\n}\n')])).message).toBe('unexpected "}" between watch events (after 1 events)');
    expect(thrown(() => decodeAll([bytes('\u00a0{"a":1}\n')])).message).toBe('unexpected byte 0xC2 between watch events (before the first event)');
    expect(thrown(() => decodeAll([bytes('\ufeff{"a":1}\n')])).message).toBe('unexpected byte 0xEF between watch events (before the first event)');
  });

  it('rejects a JSON string between frames, on a line of its own or not (it was skipped)', () => {
    for (const text of ['{"a":1}\n"abc"\n{"b":2}\n', '{"a":1} "abc" {"b":2}\n', '{"a":1}"abc"{"b":2}', '{"a":1}\n"a{b}c"']) {
      const error = thrown(() => decodeAll(chunked(text, 4)));
      expect(DecodeError.isInstance(error), text).toBe(true);
      expect(error.message, text).toMatch(/^unexpected string between watch events \(after 1 events\)/);
    }
  });

  it('rejects other JSON values that are not objects: numbers, arrays, null, true', () => {
    for (const [text, message] of [
      ['{"a":1}\n42\n', 'unexpected number between watch events (after 1 events)'],
      ['{"a":1}\n[{"b":2}]\n', 'unexpected array between watch events (after 1 events)'],
      ['{"a":1}\nnull\n', 'unexpected null between watch events (after 1 events)'],
      ['{"a":1}\ntrue', 'unexpected "t" between watch events (after 1 events)'],
      ['{"a":1}[{"b":2}]', 'unexpected "[" between watch events (after 1 events)'],
    ] as const) {
      expect(thrown(() => decodeAll([bytes(text)])).message, text).toBe(message);
    }
  });

  it('rejects a stream that ends inside a string between frames (it counted as a clean end)', () => {
    for (const text of ['{"a":1}\n"abc', '{"a":1}"ab\\"c', '{"a":1} "']) {
      const error = thrown(() => decodeAll([bytes(text)]));
      expect(DecodeError.isInstance(error), text).toBe(true);
    }
  });

  it('rejects a stream that ends inside a frame, also inside a string or after an escape', () => {
    for (const text of ['{"type":"ADDED",', '{"a":"abc', '{"a":"ab\\', '{"a":1}\n{']) {
      const decoder = new JsonFrameDecoder({ verb: 'GET', url: 'https://h/api/v1/pods?watch=true' });
      const frames = decoder.push(bytes(text));
      const error = thrown(() => decoder.end());
      expect(error.message, text).toBe('GET https://h/api/v1/pods?watch=true: watch stream ended in the middle of an event');
      expect(frames.length, text).toBe(text.startsWith('{"a":1}') ? 1 : 0);
    }
  });

  it('rejects a frame that is not JSON, without quoting it, and returns the frames before it first', () => {
    const decoder = new JsonFrameDecoder({ verb: 'GET', url: 'https://h/api/v1/secrets?watch=true' });
    const stream = '{"n":1}\n{"n":2}{"data":{"token":c2VjcmV0LXRva2VuLXZhbHVl}}\n{"n":3}\n';
    expect(decoder.push(bytes(stream))).toEqual([{ n: 1 }, { n: 2 }]);
    const error = thrown(() => decoder.push(bytes('{"n":4}\n')));
    expect(DecodeError.isInstance(error)).toBe(true);
    expect(error.request).toEqual({ verb: 'GET', url: 'https://h/api/v1/secrets?watch=true' });
    expect(error.message).toBe("GET https://h/api/v1/secrets?watch=true: undecodable watch event (after 2 events): Unexpected token 'c'");
    expect(error.cause).toBeUndefined();
    expect(thrown(() => decoder.end())).toBe(error);
  });

  it('takes linear time in the size of one event split into 16 KB chunks (it was quadratic)', () => {
    // A ~4 MB event: many keys, strings with escapes and braces.
    const data: Record<string, string> = {};
    for (let i = 0; i < 40_000; i++) data[`key-${i}`] = `value {${i}} "quoted" \\ ${'x'.repeat(60)}`;
    const event = bytes(`${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', data } })}\n`);
    expect(event.length).toBeGreaterThan(4_000_000);
    const time = (chunks: Uint8Array[]) => {
      const started = performance.now();
      expect(decodeAll(chunks)).toHaveLength(1);
      return performance.now() - started;
    };
    // The best of three, taking turns: the machine may be busy.
    let whole = Number.POSITIVE_INFINITY;
    let inChunks = Number.POSITIVE_INFINITY;
    const chunks = chunked(event, 16 * 1024);
    for (let run = 0; run < 3; run++) {
      whole = Math.min(whole, time([event]));
      inChunks = Math.min(inChunks, time(chunks));
    }
    // Linear: the same work plus one pass of the scanner. Quadratic was ~30× (1.86 s vs 59 ms).
    expect(inChunks, `one chunk ${whole.toFixed(1)} ms, 16 KB chunks ${inChunks.toFixed(1)} ms`).toBeLessThan(5 * whole + 50);
  });
});

describe('decodeWatchEvent', () => {
  it('accepts the five event types with an object', () => {
    for (const type of ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']) {
      expect(decodeWatchEvent({ type, object: { a: 1 } })).toEqual({ type, object: { a: 1 } });
    }
  });

  it('never quotes a type that is not an event-type word: a corrupted stream may put any of its bytes there', () => {
    // Found by the fuzz suite (watch-decoder.fuzz.test.ts): bytes spliced into "type" were echoed.
    for (const type of ['a2dvLW1hcmtlci1iYXNlNjQtc2VjcmV0ERROR', 'hunter2', 'ADDED {"data":"c2VjcmV0"}', 'X'.repeat(25)]) {
      const error = thrown(() => decodeWatchEvent({ type, object: {} }));
      expect(error.message).toBe(`watch event has unknown type (a string of ${type.length} characters, not shown)`);
    }
    expect(thrown(() => decodeWatchEvent({ type: 'SOME_NEW_TYPE', object: {} })).message).toBe('watch event has unknown type "SOME_NEW_TYPE"');
  });

  it('rejects unknown types and frames without an object, naming the request', () => {
    expect(() => decodeWatchEvent({ type: 'EXPLODED', object: {} })).toThrow(/unknown type "EXPLODED"/);
    expect(() => decodeWatchEvent({ type: 'ADDED' })).toThrow(/has no object/);
    expect(() => decodeWatchEvent({ type: 'ADDED', object: null })).toThrow(/has no object/);
    const error = thrown(() => decodeWatchEvent({ object: {} }, { verb: 'GET', url: 'https://h/w' }));
    expect(DecodeError.isInstance(error)).toBe(true);
    expect(error.message).toBe('GET https://h/w: watch event has unknown type undefined');
  });
});

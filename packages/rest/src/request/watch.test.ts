import { describe, expect, it } from 'vitest';
import { JsonFrameDecoder, parseWatchEvent, Watch } from './watch.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('JsonFrameDecoder', () => {
  it('returns several frames from one chunk', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(bytes('{"a":1}\n{"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(decoder.pending).toBe(false);
  });

  it('joins a frame split across chunks, at every byte boundary', () => {
    const text = '{"type":"ADDED","object":{"s":"br{ace}s \\" and \\\\ \\u00e9 ü"}}\n{"type":"DELETED","object":{}}';
    const all = bytes(text);
    for (let cut = 1; cut < all.length; cut++) {
      const decoder = new JsonFrameDecoder();
      const frames = [...decoder.push(all.slice(0, cut)), ...decoder.push(all.slice(cut))];
      expect(frames.map((frame) => JSON.parse(frame))).toEqual(text.split('\n').map((frame) => JSON.parse(frame)));
    }
  });

  it('reports a partial frame at the end', () => {
    const decoder = new JsonFrameDecoder();
    decoder.push(bytes('{"type":"ADDED",'));
    expect(decoder.pending).toBe(true);
  });

  it('rejects garbage between frames', () => {
    expect(() => new JsonFrameDecoder().push(bytes('{"a":1} nope'))).toThrow(/unexpected "n" between watch events/);
  });
});

describe('parseWatchEvent', () => {
  it('rejects unknown types and frames without an object', () => {
    expect(() => parseWatchEvent('{"type":"EXPLODED","object":{}}')).toThrow(/unknown type "EXPLODED"/);
    expect(() => parseWatchEvent('{"type":"ADDED"}')).toThrow(/has no object/);
  });
});

describe('Watch', () => {
  it('yields events split across chunks in order, then ends quietly at EOF', async () => {
    const frames = ['{"type":"ADDED","object":{"n":1}}', '{"type":"MODIFIED","object":{"n":2}}', '{"type":"BOOKMARK","object":{"n":3}}'];
    const all = bytes(frames.join('\n'));
    const watch = new Watch<{ n: number }>(streamOf([all.slice(0, 10), all.slice(10, 50), all.slice(50)]), new AbortController(), 'GET /w');
    const seen = [];
    for await (const event of watch) seen.push(`${event.type}:${(event.object as { n: number }).n}`);
    expect(seen).toEqual(['ADDED:1', 'MODIFIED:2', 'BOOKMARK:3']);
  });

  it('ends with an error for a stream cut inside an event', async () => {
    const watch = new Watch(streamOf([bytes('{"type":"ADDED","object":{"n":1}}{"type":')]), new AbortController(), 'GET /w');
    const consume = async () => {
      for await (const _ of watch);
    };
    await expect(consume()).rejects.toThrow('GET /w: watch stream ended in the middle of an event');
  });

  it('ends with an error naming the request for an unknown event type', async () => {
    const watch = new Watch(streamOf([bytes('{"type":"WHAT","object":{}}')]), new AbortController(), 'GET /w');
    const consume = async () => {
      for await (const _ of watch);
    };
    await expect(consume()).rejects.toThrow('GET /w: watch event has unknown type "WHAT"');
  });
});

import { describe, expect, it } from 'vitest';
import { Watch } from './watch.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

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

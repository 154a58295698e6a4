import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRetryableNetworkError } from '../request/retry.ts';
import { checkedEnd, collectBody, UNEXPECTED_EOF } from './response-body.ts';

/*
 * Bodies that end early or oddly. Node's HTTP/2 client ends some streams of a reset connection
 * cleanly (seen through @kgo/envtest's FaultProxy: JSON cut in half, read as complete), and
 * destroys a stream the server closed with RST_STREAM right after a complete response (Go's
 * server does that to a POST it answered before the request's end arrived).
 */

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));
const never = () => false;

/** A stream that delivers `parts`, then closes without ending (as a destroyed HTTP/2 stream does). */
function closedAfter(...parts: string[]): Readable {
  const body = new Readable({ read() {} });
  for (const part of parts) body.push(Buffer.from(part));
  setTimeout(() => body.destroy(), 5);
  return body;
}

describe('collectBody', () => {
  it('returns the body when it matches its Content-Length, or when there is none', async () => {
    expect(Buffer.from(await collectBody(chunks('{"a":', '1}'), '7', never)).toString()).toBe('{"a":1}');
    expect(Buffer.from(await collectBody(chunks('{"a":', '1}'), null, never)).toString()).toBe('{"a":1}');
  });

  it('a body that ends short of its Content-Length is an unexpected EOF, retried for GET', async () => {
    const error = await collectBody(chunks('{"kind":'), '36', never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: UNEXPECTED_EOF, message: 'unexpected EOF: the response body ended after 8 of the 36 bytes its Content-Length announced' });
    expect(isRetryableNetworkError('GET', UNEXPECTED_EOF, (error as Error).message)).toBe(true);
    expect(isRetryableNetworkError('POST', UNEXPECTED_EOF, (error as Error).message)).toBe(false);
  });

  it('a stream closed without ending is an unexpected EOF, unless it was closed cleanly after the whole body', async () => {
    await expect(collectBody(closedAfter('{"kind":'), null, never)).rejects.toMatchObject({
      code: UNEXPECTED_EOF,
      message: 'unexpected EOF: the connection closed after 8 bytes of the response body',
    });
    expect(Buffer.from(await collectBody(closedAfter('{"kind":', '"Status"}'), '17', () => true)).toString()).toBe('{"kind":"Status"}');
    // Closed cleanly, but short of the Content-Length: still cut.
    await expect(collectBody(closedAfter('{"kind":'), '17', () => true)).rejects.toMatchObject({ code: UNEXPECTED_EOF });
  });

  it('a stream that ended, but not intact (a connection closed under an HTTP/2 stream), is an unexpected EOF', async () => {
    await expect(collectBody(chunks('{"kind":'), null, never, never)).rejects.toMatchObject({ code: UNEXPECTED_EOF });
  });

  it('passes other errors through', async () => {
    const body = new Readable({ read() {} });
    setTimeout(() => body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 5);
    await expect(collectBody(body, null, never)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

/** Reads `body` to its end; the text read and the error it ended with. */
async function read(body: Readable): Promise<{ text: string; error: unknown }> {
  let text = '';
  try {
    for await (const chunk of body) text += String(chunk);
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

describe('checkedEnd', () => {
  it('hands the body on and ends it when its stream ended intact', async () => {
    expect(await read(checkedEnd(chunks('{"type":', '"ADDED"}'), () => true))).toEqual({ text: '{"type":"ADDED"}', error: undefined });
  });

  it('fails a body whose stream ended, or closed without ending, not intact', async () => {
    const ended = await read(checkedEnd(chunks('{"type":"ADDED"}\n'), never));
    expect(ended.text).toBe('{"type":"ADDED"}\n');
    expect(ended.error).toMatchObject({ code: UNEXPECTED_EOF, message: 'unexpected EOF: the connection closed after 17 bytes of the response body' });
    expect((await read(checkedEnd(closedAfter('{"type":'), () => true))).error).toMatchObject({ code: UNEXPECTED_EOF });
  });

  it('passes errors through, and destroying the body destroys its stream', async () => {
    const broken = new Readable({ read() {} });
    setTimeout(() => broken.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 5);
    expect((await read(checkedEnd(broken, () => true))).error).toMatchObject({ code: 'ECONNRESET' });
    const source = new Readable({ read() {} });
    checkedEnd(source, () => true).destroy();
    expect(source.destroyed).toBe(true);
  });
});

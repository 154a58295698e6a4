import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRetryableNetworkError } from '../request/retry.ts';
import { readAll, UNEXPECTED_EOF } from './response-body.ts';

/*
 * A body that ends early without an error: Node's HTTP/2 client ends a stream's body cleanly in
 * some resets (seen through @kgo/envtest's FaultProxy: JSON cut in half, read as complete), and a
 * stream destroyed without an error reads as a premature close. Both are client-go's "unexpected EOF".
 */

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

describe('readAll', () => {
  it('returns the body when it matches its Content-Length, or when there is none', async () => {
    expect(Buffer.from(await readAll(chunks('{"a":', '1}'), '7')).toString()).toBe('{"a":1}');
    expect(Buffer.from(await readAll(chunks('{"a":', '1}'), null)).toString()).toBe('{"a":1}');
  });

  it('a body that ends short of its Content-Length is an unexpected EOF, retried for GET', async () => {
    const error = await readAll(chunks('{"kind":'), '36').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: UNEXPECTED_EOF, message: 'unexpected EOF: the response body ended after 8 of the 36 bytes its Content-Length announced' });
    expect(isRetryableNetworkError('GET', UNEXPECTED_EOF, (error as Error).message)).toBe(true);
    expect(isRetryableNetworkError('POST', UNEXPECTED_EOF, (error as Error).message)).toBe(false);
  });

  it('a body whose stream closed without ending is an unexpected EOF', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from('{"kind":'));
    setTimeout(() => body.destroy(), 5);
    await expect(readAll(body, null)).rejects.toMatchObject({ code: UNEXPECTED_EOF, message: 'unexpected EOF: the connection closed after 8 bytes of the response body' });
  });

  it('passes other errors through', async () => {
    const body = new Readable({ read() {} });
    setTimeout(() => body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 5);
    await expect(readAll(body, null)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

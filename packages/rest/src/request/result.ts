import { DecodeError } from '../errors/decode-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import type { Warning } from '../transport/warnings.ts';
import { parserMessage } from './watch-decoder.ts';

const decoder = new TextDecoder();

/** A successful (2xx) response: status, headers, raw body and warnings. */
export class Result {
  /** HTTP status code. */
  readonly statusCode: number;
  readonly headers: Headers;
  /** The raw response body. */
  readonly body: Uint8Array;
  /** Warnings the server sent with this response. */
  readonly warnings: Warning[];
  /** The request this answers, for messages. */
  readonly request: RequestDescription;

  constructor(statusCode: number, headers: Headers, body: Uint8Array, warnings: Warning[], request: RequestDescription) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.body = body;
    this.warnings = warnings;
    this.request = request;
  }

  /** The response's Content-Type. */
  get contentType(): string {
    return this.headers.get('content-type') ?? '';
  }

  /** The body as text. */
  text(): string {
    return decoder.decode(this.body);
  }

  /**
   * The body decoded as JSON into `T`. An empty body is a {@link DecodeError} (client-go:
   * "0-length response"), as is a body that is not JSON; its message never quotes the body (a
   * Secret's data could be in it), so the parser's error is not attached either.
   */
  into<T>(): T {
    const what = describeRequest(this.request);
    if (this.body.length === 0) {
      throw new DecodeError(
        `${what}: 0-length response with status code ${this.statusCode} and content type ${this.contentType || 'none'}`,
        this.request,
      );
    }
    try {
      return JSON.parse(this.text()) as T;
    } catch (error) {
      throw new DecodeError(`${what}: response is not JSON (content type ${this.contentType || 'none'}): ${parserMessage(error)}`, this.request);
    }
  }
}

import type { Warning } from '../transport/warnings.ts';

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
  /** `"<verb> <url>"` of the request, for messages. */
  readonly #what: string;

  constructor(statusCode: number, headers: Headers, body: Uint8Array, warnings: Warning[], what: string) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.body = body;
    this.warnings = warnings;
    this.#what = what;
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
   * The body decoded as JSON into `T`. An empty body is an error (client-go: "0-length response"),
   * as is a body that is not JSON.
   */
  into<T>(): T {
    if (this.body.length === 0) {
      throw new Error(
        `${this.#what}: 0-length response with status code ${this.statusCode} and content type ${this.contentType || 'none'}`,
      );
    }
    try {
      return JSON.parse(this.text()) as T;
    } catch (error) {
      throw new Error(`${this.#what}: response is not JSON (content type ${this.contentType || 'none'}): ${(error as Error).message}`);
    }
  }
}

import { DecodeError } from '../errors/decode-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import { headerValue, type ResponseHeaders, toHeaders } from '../transport/response-headers.ts';
import type { Warning } from '../transport/warnings.ts';
import { parserMessage } from './watch-decoder.ts';
import { decodeProtobufBody, withRequest } from '../protobuf/decode-object.ts';
import { decodeEnvelope, type ProtobufEnvelope } from '../protobuf/envelope.ts';
import { isProtobufContentType } from '../protobuf/media-types.ts';
import type { ProtobufCodec } from '../protobuf/protobuf-codec.ts';

const decoder = new TextDecoder();

/** A successful (2xx) response: status, headers, raw body and warnings. */
export class Result {
  /** HTTP status code. */
  readonly statusCode: number;
  #headers: ResponseHeaders | Headers;
  /** The raw response body. */
  readonly body: Uint8Array;
  /** Warnings the server sent with this response. */
  readonly warnings: Warning[];
  /** The request this answers, for messages. */
  readonly request: RequestDescription;
  /** Decodes a protobuf answer's kinds (set when the request preferred protobuf). */
  readonly protobufCodec: ProtobufCodec | undefined;

  constructor(
    statusCode: number,
    headers: ResponseHeaders | Headers,
    body: Uint8Array,
    warnings: Warning[],
    request: RequestDescription,
    protobufCodec?: ProtobufCodec,
  ) {
    this.statusCode = statusCode;
    this.#headers = headers;
    this.body = body;
    this.warnings = warnings;
    this.request = request;
    this.protobufCodec = protobufCodec;
  }

  /** True when the server answered in protobuf (`application/vnd.kubernetes.protobuf`). */
  get isProtobuf(): boolean {
    return isProtobufContentType(this.contentType);
  }

  /**
   * The protobuf envelope of a protobuf answer: apiVersion, kind and the message's raw bytes
   * (for callers that decode messages themselves). A body that is not an envelope is a
   * {@link DecodeError}.
   */
  envelope(): ProtobufEnvelope {
    try {
      return decodeEnvelope(this.body);
    } catch (error) {
      throw DecodeError.isInstance(error) ? withRequest(error, this.request) : error;
    }
  }

  /** The response headers (a record given to the constructor becomes a `Headers` on first use). */
  get headers(): Headers {
    if (!(this.#headers instanceof Headers)) this.#headers = toHeaders(this.#headers);
    return this.#headers;
  }

  /** The response's Content-Type. */
  get contentType(): string {
    const headers = this.#headers;
    return (headers instanceof Headers ? headers.get('content-type') : headerValue(headers, 'content-type')) ?? '';
  }

  /** The body as text. */
  text(): string {
    return decoder.decode(this.body);
  }

  /**
   * The body decoded into `T`: JSON, or for a protobuf answer (by its Content-Type) the envelope's
   * message decoded by the protobuf codec (a Status by @kgo/rest itself) into the same object
   * the JSON answer gives. An empty body is a {@link DecodeError} (client-go: "0-length
   * response"), as is a body that is not JSON, a protobuf kind no codec handles, or a broken
   * protobuf message; messages never quote the body (a Secret's data could be in it), so the
   * parser's error is not attached either.
   */
  into<T>(): T {
    if (this.body.length === 0) {
      throw new DecodeError(
        `${describeRequest(this.request)}: 0-length response with status code ${this.statusCode} and content type ${this.contentType || 'none'}`,
        this.request,
      );
    }
    if (this.isProtobuf) return decodeProtobufBody(this.body, this.protobufCodec, this.request) as T;
    try {
      return JSON.parse(this.text()) as T;
    } catch (error) {
      throw new DecodeError(`${describeRequest(this.request)}: response is not JSON (content type ${this.contentType || 'none'}): ${parserMessage(error)}`, this.request);
    }
  }
}

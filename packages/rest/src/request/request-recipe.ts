import type { RequestDescription } from '../errors/request-description.ts';
import type { ProtobufRecipe } from '../protobuf/negotiation.ts';

/**
 * A request rendered to plain data by the {@link Request} builder, with no I/O: what an
 * {@link HttpClient} sends, and what generated clients and tests can inspect. Connection-level
 * headers (Accept-Encoding, User-Agent, Authorization, impersonation) are added when it is sent.
 */
export interface RequestRecipe {
  /** HTTP verb, upper case. */
  method: string;
  /** The full URL, query included (`timeout=` too when the call has a timeout). */
  url: URL;
  /** Request headers, names lower case: `content-type` for bodies, and any set with `setHeader`. */
  headers: Record<string, string>;
  /** The encoded body, if any. */
  body: Uint8Array | string | undefined;
  /** Bounds the whole call (retries included), in milliseconds. */
  timeoutMs: number | undefined;
  /** Retries allowed by client-go's rules. */
  maxRetries: number;
  /** Cancels the call, watch or stream. */
  signal: AbortSignal | undefined;
  /** Resource and name addressed, for error messages. */
  resource: string | undefined;
  name: string | undefined;
  /**
   * Set when the request prefers protobuf (Accept `application/vnd.kubernetes.protobuf,
   * application/json`, a protobuf body for kinds the codec handles): the codec for the answer
   * and the JSON form sent once if the server refuses protobuf.
   */
  protobuf?: ProtobufRecipe | undefined;
}

/** The description errors carry: verb, URL, resource and name (never headers, so never credentials). */
export function describeRecipe(recipe: RequestRecipe): RequestDescription {
  return { verb: recipe.method, url: recipe.url.toString(), resource: recipe.resource, name: recipe.name };
}

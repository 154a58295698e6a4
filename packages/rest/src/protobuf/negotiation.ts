/*
 * Content negotiation for protobuf: a request that prefers protobuf carries, beside its protobuf
 * form, the same request as JSON. The executor sends the JSON form once when the server refuses
 * protobuf (406 Not Acceptable, 415 Unsupported Media Type) and from then on the client uses JSON
 * for that resource, as client-go does after a 415 to a CBOR request.
 */
import type { RequestRecipe } from '../request/request-recipe.ts';
import type { ProtobufCodec } from './protobuf-codec.ts';

/** The protobuf side of a {@link RequestRecipe}: the codec for the answer and the JSON form to fall back to. */
export interface ProtobufRecipe {
  /** Decodes the answer's kinds (the envelope, Status and watch frames are @kgo/rest's own). */
  readonly codec: ProtobufCodec;
  /** The request's headers and body as JSON: sent instead after a 406 or 415. */
  readonly json: { readonly headers: Record<string, string>; readonly body: Uint8Array | string | undefined };
  /** Makes the client use JSON for this resource from now on. */
  preferJson(): void;
}

/**
 * Which resources a client has learned to ask for in JSON (the server refused protobuf for them,
 * or answered a kind the codec does not handle). Keys name the resource, not the object.
 */
export class JsonPreferences {
  readonly #keys = new Set<string>();

  /** True when requests for `key` should be sent as JSON. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Remembers to send requests for `key` as JSON. */
  add(key: string): void {
    this.#keys.add(key);
  }

  /** How many resources use JSON (for tests and diagnostics). */
  get size(): number {
    return this.#keys.size;
  }
}

/** The recipe's JSON form (see {@link ProtobufRecipe.json}), remembering that this resource uses JSON. */
export function fallBackToJson(recipe: RequestRecipe): RequestRecipe {
  const protobuf = recipe.protobuf;
  if (!protobuf) return recipe;
  protobuf.preferJson();
  return { ...recipe, headers: protobuf.json.headers, body: protobuf.json.body, protobuf: undefined };
}

/** True for the answers that mean "not in this content type": 406 Not Acceptable, 415 Unsupported Media Type. */
export function refusesContentType(status: number): boolean {
  return status === 406 || status === 415;
}

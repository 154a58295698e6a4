/**
 * The contract between `@kgo/rest`, which speaks the Kubernetes protobuf wire format (the `k8s\0`
 * envelope, `runtime.Unknown`, watch framing, `Status`), and the generated message code that knows
 * the kinds (`@kgo/typed`'s protobuf subpaths). Keeping message code behind this interface is why
 * `@kgo/rest` gains no dependency on any generated code or protobuf library.
 */

/** Which message a protobuf body holds, as the envelope (`runtime.Unknown`) carries it. */
export interface ProtobufTypeMeta {
  /** `v1`, `apps/v1`, … */
  readonly apiVersion: string;
  /** `Pod`, `PodList`, … */
  readonly kind: string;
}

/**
 * Decodes and encodes the raw protobuf message bytes of the kinds it knows. The envelope, watch
 * frames and Status are `@kgo/rest`'s job; a codec only sees one message's bytes.
 */
export interface ProtobufCodec {
  /** Whether this codec decodes and encodes `kind` of `apiVersion` (list kinds included). */
  handles(type: ProtobufTypeMeta): boolean;
  /**
   * Decodes one message into the object the JSON path gives for the same resource (apiVersion
   * and kind set, the same fields present). Throws on bytes that are not that message.
   */
  decode(type: ProtobufTypeMeta, raw: Uint8Array): Record<string, unknown>;
  /** Encodes an object of a kind it handles into the message's bytes (without the envelope). */
  encode(type: ProtobufTypeMeta, object: object): Uint8Array;
}

/**
 * One codec over several: each kind goes to the first codec that handles it (e.g. the codecs of
 * several API groups from `@kgo/typed`).
 *
 * @example
 * ```ts
 * const client = new RestClient(config, { groupVersion: { group: 'apps', version: 'v1' }, protobuf: combineProtobufCodecs(coreV1Codec, appsV1Codec) });
 * ```
 */
export function combineProtobufCodecs(...codecs: readonly ProtobufCodec[]): ProtobufCodec {
  const pick = (type: ProtobufTypeMeta): ProtobufCodec | undefined => codecs.find((codec) => codec.handles(type));
  const only = (type: ProtobufTypeMeta): ProtobufCodec => {
    const codec = pick(type);
    if (!codec) throw new TypeError(`no protobuf codec handles ${type.kind} of ${type.apiVersion || 'the core group'}`);
    return codec;
  };
  return {
    handles: (type) => pick(type) !== undefined,
    decode: (type, raw) => only(type).decode(type, raw),
    encode: (type, object) => only(type).encode(type, object),
  };
}

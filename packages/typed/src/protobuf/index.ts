/**
 * `@kgo/typed/protobuf`: the runtime of the generated protobuf codecs. The codecs themselves are
 * one subpath per group-version (`@kgo/typed/core/v1/protobuf` exports `coreV1Protobuf`); join
 * several with `combineProtobufCodecs` from `@kgo/rest`. Nothing here is imported by the JSON
 * clients.
 *
 * @packageDocumentation
 */
export { createProtobufCodec } from './codec.ts';
export { type FieldSpec, Flag, type MessageTable, Scalar } from './message-table.ts';
export { ProtobufError } from './protobuf-error.ts';

// TEMPORARY until @kgo/rest exports its protobuf contract from its index (the rest protobuf work):
// then every import of this file becomes `from '@kgo/rest'` and this file goes.
export type { ProtobufCodec, ProtobufTypeMeta } from '../../../rest/src/protobuf/protobuf-codec.ts';

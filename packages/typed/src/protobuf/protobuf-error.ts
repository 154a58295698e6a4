import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('typed.ProtobufError');

/**
 * Protobuf bytes that are not the message they should be (truncated, a wrong wire type, a field
 * number this version does not know), or an object that cannot be encoded as its message (a
 * field the message does not have, a value of the wrong type). The message names the message
 * and field; it never contains field values.
 */
export class ProtobufError extends KgoError {
  override name = 'ProtobufError';
  readonly [marker] = true;

  /** True for a ProtobufError from any copy of `@kgo/typed`. */
  static override isInstance(error: unknown): error is ProtobufError {
    return hasErrorMarker(error, marker);
  }
}

import { DecodeError } from '../errors/decode-error.ts';
import { describeRequest, type RequestDescription } from '../errors/request-description.ts';
import { decodeEnvelope, type ProtobufEnvelope } from './envelope.ts';
import type { ProtobufCodec, ProtobufTypeMeta } from './protobuf-codec.ts';
import { decodeStatusMessage } from './status-message.ts';

/** True for `kind: Status` of `v1` (core) or `meta.k8s.io/v1`: decoded by @kgo/rest itself, no codec needed. */
export function isStatusType(type: ProtobufTypeMeta): boolean {
  return type.kind === 'Status' && (type.apiVersion === 'v1' || type.apiVersion === 'meta.k8s.io/v1');
}

/** Whether @kgo/rest can turn this envelope's message into an object: a Status, or a kind the codec handles. */
export function canDecode(type: ProtobufTypeMeta, codec: ProtobufCodec | undefined): boolean {
  return isStatusType(type) || (codec?.handles(type) ?? false);
}

/**
 * Decodes an envelope's message into the object the JSON path gives: a Status by the built-in
 * decoder, any other kind by the codec (apiVersion and kind set from the envelope when the codec
 * left them out). Failures are DecodeErrors naming the request, never quoting the bytes.
 */
export function decodeEnvelopeObject(
  envelope: ProtobufEnvelope,
  codec: ProtobufCodec | undefined,
  request: RequestDescription | undefined,
): Record<string, unknown> {
  const type = envelope.typeMeta;
  if (envelope.contentEncoding || (envelope.contentType && envelope.contentType !== 'application/vnd.kubernetes.protobuf')) {
    throw withRequest(new DecodeError(`protobuf ${type.kind} has content encoding ${JSON.stringify(envelope.contentEncoding)} and content type ${JSON.stringify(envelope.contentType)}, which are not supported`), request);
  }
  if (isStatusType(type)) return guarded(() => decodeStatusMessage(envelope.raw, type.apiVersion) as Record<string, unknown>, request);
  if (!codec?.handles(type)) {
    throw withRequest(
      new DecodeError(
        `the server answered with protobuf ${type.kind} (${type.apiVersion}), which ${codec ? 'the protobuf codec does not handle' : 'needs a protobuf codec'}: give the client a codec for it, or request JSON with .protobuf(null)`,
      ),
      request,
    );
  }
  const object = guarded(() => codec.decode(type, envelope.raw), request, type);
  object.apiVersion ??= type.apiVersion;
  object.kind ??= type.kind;
  return object;
}

/** Decodes a whole protobuf body: the `k8s\0` envelope, then its message (a Status by @kgo/rest, any other kind by the codec), into the object the JSON path gives; failures are DecodeErrors naming the request. */
export function decodeProtobufBody(body: Uint8Array, codec: ProtobufCodec | undefined, request: RequestDescription | undefined): Record<string, unknown> {
  return decodeEnvelopeObject(guarded(() => decodeEnvelope(body), request), codec, request);
}

/** Runs a decoding step; its errors become DecodeErrors naming the request (a codec's own error is summarised, not quoted). */
function guarded<T>(step: () => T, request: RequestDescription | undefined, type?: ProtobufTypeMeta): T {
  try {
    return step();
  } catch (error) {
    if (DecodeError.isInstance(error)) throw withRequest(error, request);
    // A codec's error could quote the bytes it choked on; its class and the kind are enough to act on.
    const name = error instanceof Error ? error.name : typeof error;
    throw withRequest(new DecodeError(`the protobuf codec could not decode ${type?.kind ?? 'the message'} (${type?.apiVersion ?? ''}): ${name}`), request);
  }
}

/** `error` with the request named in front of its message (a new DecodeError carrying the request). */
export function withRequest(error: DecodeError, request: RequestDescription | undefined): DecodeError {
  if (!request || error.request) return error;
  return new DecodeError(`${describeRequest(request)}: ${error.message}`, request);
}

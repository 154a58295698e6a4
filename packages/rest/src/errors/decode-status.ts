import { isStatusObject, type Status } from '../meta/status.ts';
import { isStatusType } from '../protobuf/decode-object.ts';
import { decodeEnvelope, hasProtobufMagic } from '../protobuf/envelope.ts';
import { isProtobufContentType } from '../protobuf/media-types.ts';
import { decodeStatusMessage } from '../protobuf/status-message.ts';
import type { RequestDescription } from './request-description.ts';
import { genericStatusError, StatusError } from './status-error.ts';

const textDecoder = new TextDecoder();

/**
 * The StatusError for a non-2xx response: the server's own `Status` (status `Failure`) when the
 * body is one (JSON, or protobuf: `k8s\0` + runtime.Unknown holding a metav1.Status), else one
 * derived from the code, as client-go's `transformResponse` does.
 */
export function decodeStatusError(
  status: number,
  contentType: string,
  body: Uint8Array,
  request: RequestDescription,
  retryAfterSeconds: number | undefined,
): StatusError {
  const server = serverStatus(contentType, body);
  if (server) {
    return new StatusError(
      { ...server, code: server.code || status, reason: server.reason ?? '', message: server.message ?? `the server responded with ${status}` },
      request,
    );
  }
  // A protobuf body that is not a Status is not text: it is not quoted in the generic message.
  return genericStatusError(status, isProtobufContentType(contentType) ? '' : textDecoder.decode(body), request, retryAfterSeconds);
}

/** The failure Status in the body, if it holds one (JSON or protobuf), with only Status's own fields. */
function serverStatus(contentType: string, body: Uint8Array): Status | undefined {
  try {
    if (isProtobufContentType(contentType) && hasProtobufMagic(body)) {
      const envelope = decodeEnvelope(body);
      if (!isStatusType(envelope.typeMeta)) return undefined;
      const decoded = decodeStatusMessage(envelope.raw, envelope.typeMeta.apiVersion);
      return decoded.status === 'Failure' ? decoded : undefined;
    }
    if (contentType.includes('json') && body.length > 0) {
      const parsed = JSON.parse(textDecoder.decode(body)) as unknown;
      if (isStatusObject(parsed) && parsed.status === 'Failure') return statusFields(parsed as Status);
    }
  } catch {
    // not a Status after all (a broken body): the generic error
  }
  return undefined;
}

/**
 * Only metav1.Status's own fields, as Go's decoding into the typed Status keeps: anything else in
 * the body (a proxy's or a webhook's extra data) must not ride along in an error that gets logged.
 */
function statusFields(body: Status): Status {
  const { kind, apiVersion, metadata, status, message, reason, details, code } = body;
  const kept: Status = { kind, apiVersion, metadata, status, message, reason, details, code };
  for (const key of Object.keys(kept) as (keyof Status)[]) if (kept[key] === undefined) delete kept[key];
  return kept;
}

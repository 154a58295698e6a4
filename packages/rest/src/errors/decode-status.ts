import { isStatusObject, type Status } from '../meta/status.ts';
import type { RequestDescription } from './request-description.ts';
import { genericStatusError, StatusError } from './status-error.ts';

const textDecoder = new TextDecoder();

/**
 * The StatusError for a non-2xx response: the server's own `Status` (status `Failure`) when the
 * body is one, else one derived from the code, as client-go's `transformResponse` does.
 */
export function decodeStatusError(
  status: number,
  contentType: string,
  body: Uint8Array,
  request: RequestDescription,
  retryAfterSeconds: number | undefined,
): StatusError {
  const text = textDecoder.decode(body);
  if (contentType.includes('json') && text) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isStatusObject(parsed) && parsed.status === 'Failure') {
        const server = statusFields(parsed as Status);
        return new StatusError(
          { ...server, code: server.code || status, reason: server.reason ?? '', message: server.message ?? `the server responded with ${status}` },
          request,
        );
      }
    } catch {
      // not JSON after all: the generic error below
    }
  }
  return genericStatusError(status, text, request, retryAfterSeconds);
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

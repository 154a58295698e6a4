/** The protobuf media types of the Kubernetes API and client-go's Accept list for clients that prefer protobuf. */

/** The content type of a protobuf body (`k8s\0` + runtime.Unknown). */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The content type of a protobuf watch stream (length-prefixed metav1.WatchEvent frames). */
export const PROTOBUF_WATCH_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf;stream=watch';

/**
 * The Accept header of a request that prefers protobuf (client-go's `AcceptContentTypes` for
 * built-in clients): protobuf where the server has it, JSON for everything else (custom
 * resources, aggregated APIs without protobuf).
 */
export const PROTOBUF_ACCEPT = 'application/vnd.kubernetes.protobuf, application/json';

/** True when a Content-Type header names the protobuf media type (with or without `;stream=watch`). */
export function isProtobufContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === PROTOBUF_CONTENT_TYPE;
}

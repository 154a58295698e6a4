/** Which request failed, for messages: verb, URL (never credentials) and the resource addressed. */
export interface RequestDescription {
  verb: string;
  url: string;
  resource?: string | undefined;
  name?: string | undefined;
}

/** `"<verb> <url>"`, the prefix of every request-related message. */
export function describeRequest(request: RequestDescription): string {
  return `${request.verb} ${request.url}`;
}

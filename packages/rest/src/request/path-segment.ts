/**
 * Why a segment is not allowed in a request path, or `undefined` when it is fine.
 * client-go's `IsValidPathSegmentName`: names go into the URL path verbatim, so `.`, `..`,
 * `/` and `%` would change which resource the request addresses.
 */
export function invalidPathSegmentReason(name: string): string | undefined {
  if (name === '.' || name === '..') return `[may not be '${name}']`;
  const problems = ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
  return problems.length > 0 ? `[${problems.join(' ')}]` : undefined;
}

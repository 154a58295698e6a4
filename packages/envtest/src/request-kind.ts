/** What kind of request a proxy saw: watches by their query, lists by a collection path. */
export type ProxiedKind = 'list' | 'watch' | 'watch-list' | 'get' | 'write';

/** Classifies a request: watches by their query, lists by a collection path (no object name after the resource). */
export function kindOf(method: string, url: URL): ProxiedKind {
  if (method !== 'GET') return 'write';
  const watch = url.searchParams.get('watch');
  if (watch === 'true' || watch === '1') return url.searchParams.get('sendInitialEvents') === 'true' ? 'watch-list' : 'watch';
  // /api/v1[/namespaces/<ns>]/<resource>[/<name>...] or /apis/<group>/<version>[/namespaces/<ns>]/<resource>[/<name>...]
  const segments = url.pathname.split('/').filter(Boolean);
  let rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  return rest.length === 1 ? 'list' : 'get';
}

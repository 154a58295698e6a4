/*
 * Go's path.Clean and path.Join, because client-go builds every request URL with them and kgo
 * must produce byte-identical paths (trailing slashes dropped, `//` folded, `.`/`..` resolved).
 */

/** Go's `path.Clean`: the shortest lexically equivalent slash-separated path. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Go's `path.Join`: joins non-empty elements with `/` and cleans the result; all empty gives `""`. */
export function joinPath(...elements: string[]): string {
  const nonEmpty = elements.filter((element) => element !== '');
  if (nonEmpty.length === 0) return '';
  return cleanPath(nonEmpty.join('/'));
}

/*
 * Go's path.Clean and path.Join, because client-go builds every request URL with them and kgo
 * must produce byte-identical paths (trailing slashes dropped, `//` folded, `.`/`..` resolved).
 */

// A path with none of these is already clean: `.` or `..` segments, `//`, a trailing slash.
const UNCLEAN = /(?:^|\/)\.\.?(?:\/|$)|\/\/|.\/$/;

/** Go's `path.Clean`: the shortest lexically equivalent slash-separated path. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  // The common case on every request: nothing to clean.
  if (!UNCLEAN.test(path)) return path;
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
  let joined = '';
  for (const element of elements) {
    if (element === '') continue;
    joined = joined === '' ? element : `${joined}/${element}`;
  }
  return joined === '' ? '' : cleanPath(joined);
}

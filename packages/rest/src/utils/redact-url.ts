/**
 * A URL with whatever could be a user name or password replaced by `***`, so messages never show a
 * password. Everything between the first `//` (or the start, without one) and the last `@` is
 * hidden — also where no URL parser would see user info: a password containing `/`, `?` or `#`
 * (`http://user:pa/ss@proxy`), or a URL without `//` (`user:secret@proxy:3128`). An `@` in a path
 * or query hides more than needed; a message never needs to show less.
 */
export function redactUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const slashes = url.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${url.slice(0, start)}***${url.slice(at)}`;
}

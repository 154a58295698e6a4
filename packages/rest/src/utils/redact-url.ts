// What an authority without user info looks like: a host or [IPv6] literal, then at most a port.
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/;

/**
 * A URL with whatever could be a user name or password replaced by `***`, so messages never show a
 * password. Everything between the first `//` (or the start, without one) and the last `@` is
 * hidden — also where no URL parser would see user info: a password containing `/`, `?` or `#`
 * (`http://user:pa/ss@proxy`), or a URL without `//` (`user:secret@proxy:3128`). Without an `@`,
 * an authority that is not a host and a port (`http://user:secret`, `http://user:secret/path`)
 * is hidden with the rest of the URL: the password sits where a port would, nothing tells where
 * it ends, and the user name may be a token. An `@` in a path or query hides more than needed;
 * a message never needs to show less.
 */
export function redactUrl(url: string): string {
  const slashes = url.indexOf('//');
  const at = url.lastIndexOf('@');
  if (at >= 0) {
    const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
    return `${url.slice(0, start)}***${url.slice(at)}`;
  }
  const start = slashes >= 0 ? slashes + 2 : 0;
  const authority = url.slice(start).split(/[/?#]/, 1)[0] as string;
  if (HOST_AND_PORT.test(authority)) return url;
  return `${url.slice(0, start)}***`;
}

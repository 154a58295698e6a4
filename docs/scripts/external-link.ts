/** Whether a link leaves the site: the host it points at for an http(s) URL of another host, else undefined. */

/** The hosts linkinator serves the built site from, on loopback. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The host of `link` when it points away from the locally served site (`https://github.com/…` → `github.com`), or
 * `mailto:` and other schemes (named by their scheme); undefined for the site's own pages and assets.
 */
export function isExternal(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined; // a relative link: the site's own
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol === 'file:' ? undefined : url.protocol.slice(0, -1);
  return LOCAL_HOSTS.has(url.hostname) ? undefined : url.hostname;
}

import { KubeconfigError } from './errors/kubeconfig-error.ts';

/**
 * The server URL as client-go uses it: a URL without scheme gets `http://` (client-go's
 * `DefaultServerURL` without TLS settings), and a URL with a path loses query and fragment.
 */
export function normalizeServer(server: string): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (!url || !url.host || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    try {
      url = new URL(`http://${server}`);
    } catch {
      throw new KubeconfigError(`server "${server}" is not a valid URL; write it as https://host:port`, { field: 'server' });
    }
  }
  if (url.pathname.length > 1) {
    url.search = '';
    url.hash = '';
  }
  const text = url.toString();
  // URL adds a trailing slash to a bare host; client-go keeps the server as written.
  return url.pathname === '/' && !server.endsWith('/') && !url.search && !url.hash ? text.slice(0, -1) : text;
}

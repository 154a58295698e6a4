/** Where generated pages live in the site, shared by the generators and the site's configuration. */

/**
 * The API reference page of an entry point, relative to docs/: one page per entry point, as pkg.go.dev has one per
 * Go package (`@kgo/rest/meta` → `api/@kgo/rest/meta.md`).
 */
export function apiPagePath(specifier: string): string {
  return `api/${specifier}.md`;
}

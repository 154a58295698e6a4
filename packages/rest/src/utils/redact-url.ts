/** A URL with any user info replaced by `***`, so messages never show a password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

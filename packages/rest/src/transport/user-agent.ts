import { VERSION } from '../version.ts';

/**
 * This package's version (its package.json `version`), compiled in rather than read from
 * package.json at run time, which a bundled app does not carry.
 */
export const KGO_REST_VERSION: string = VERSION;

/**
 * The default `User-Agent`: `<app>/<version> (<platform>/<arch>) kgo/<version>`, where the app is
 * the entry script's name, as client-go uses the binary's name.
 */
export function defaultUserAgent(): string {
  const script = process.argv[1]?.split(/[\\/]/).pop()?.replace(/\.(c|m)?[jt]s$/, '') || 'node';
  return `${script}/${process.versions.node} (${process.platform}/${process.arch}) kgo/${KGO_REST_VERSION}`;
}

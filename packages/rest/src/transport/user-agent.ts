import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** This package's version, from its package.json. */
export const KGO_REST_VERSION = version;

/**
 * The default `User-Agent`: `<app>/<version> (<platform>/<arch>) kgo/<version>`, where the app is
 * the entry script's name, as client-go uses the binary's name.
 */
export function defaultUserAgent(): string {
  const script = process.argv[1]?.split(/[\\/]/).pop()?.replace(/\.(c|m)?[jt]s$/, '') || 'node';
  return `${script}/${process.versions.node} (${process.platform}/${process.arch}) kgo/${KGO_REST_VERSION}`;
}

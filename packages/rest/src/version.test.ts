import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderVersionModule, versionModuleState } from '../scripts/write-version.ts';
import { KGO_REST_VERSION } from './index.ts';
import { defaultUserAgent } from './transport/user-agent.ts';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the compiled-in version', () => {
  it("is package.json's version", () => {
    expect(KGO_REST_VERSION).toBe(manifest.version);
  });

  it('is committed exactly as the build writes it (a changesets bump is regenerated, not hand-edited)', () => {
    const { expected, actual } = versionModuleState();
    expect(actual).toBe(expected);
    expect(expected).toContain(`export const VERSION = '${manifest.version}';`);
  });

  it('ends the default User-Agent', () => {
    expect(defaultUserAgent().endsWith(` kgo/${manifest.version}`)).toBe(true);
  });

  it('is written only for semver versions, so package.json cannot inject code', () => {
    expect(renderVersionModule('1.2.3-next.0+build.5')).toContain("export const VERSION = '1.2.3-next.0+build.5';");
    expect(() => renderVersionModule("1.0.0'; process.exit(1); '")).toThrow(/is not a semver version/);
    expect(() => renderVersionModule('1.0')).toThrow(/"1\.0", which is not a semver version/);
  });
});

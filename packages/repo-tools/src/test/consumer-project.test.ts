// The pure parts of the consumer checks' range handling: which dependencies count, how versions
// sort (the floor is the first of them), and the line CI prints.
import { describe, expect, it } from 'vitest';
import { compareVersions, describeInstall, type Publishable, runtimeDependencies } from './consumer-project.ts';

const pkg = (name: string, dependencies: Record<string, string>): Publishable => ({ name, dir: `/packages/${name}`, manifest: { name, version: '0.1.0', dependencies } });

describe('runtimeDependencies', () => {
  it('collects every non-workspace entry of the dependencies blocks, with each range that names it, sorted by name', () => {
    const dependencies = runtimeDependencies([
      pkg('@kgo/typed', { yaml: '^2.9.1', '@kgo/rest': 'workspace:^' }),
      pkg('@kgo/rest', { ky: '^2.1.0' }),
      pkg('@kgo/kubeconfig', { yaml: '^2.10.0' }),
      { name: '@kgo/envtest', dir: '/packages/envtest', manifest: { name: '@kgo/envtest', version: '0.1.0', peerDependencies: { vitest: '>=3' } } },
    ]);
    expect(dependencies).toEqual([
      { name: 'ky', ranges: [{ by: '@kgo/rest', range: '^2.1.0' }] },
      { name: 'yaml', ranges: [{ by: '@kgo/typed', range: '^2.9.1' }, { by: '@kgo/kubeconfig', range: '^2.10.0' }] },
    ]);
  });
});

describe('compareVersions', () => {
  it('orders versions by semver precedence, not as strings', () => {
    // semver.org item 11's example, plus numeric parts that string order gets wrong.
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
    const shuffled = [...ordered].reverse();
    shuffled.push(shuffled.shift() as string);
    expect(shuffled.sort(compareVersions)).toEqual(ordered);
    expect(compareVersions('2.1.0', '2.1.0+build.5')).toBe(0);
  });

  it('refuses what is not a version', () => {
    expect(() => compareVersions('2.x', '2.1.0')).toThrow('2.x is not a semver version');
  });
});

describe('describeInstall', () => {
  it('names each dependency with every installed version, and a missing one as -', () => {
    const installed = new Map([
      ['ky', ['2.1.0']],
      ['yaml', ['2.9.1', '2.10.0']],
      ['left-pad', []],
    ]);
    expect(describeInstall('consumer install (lowest)', installed)).toBe('consumer install (lowest): ky@2.1.0 yaml@2.9.1,2.10.0 left-pad@-');
  });
});

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KGO_POLICY } from './dag-check.ts';
import { breakingBump, bumpVersion, type Changeset, checkPeerReleases, parseChangeset, type VersionedManifest } from './peer-release-check.ts';
import { loadWorkspace } from './workspace.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const layer = (name: string, version: string, peers: string[]): VersionedManifest => ({
  name,
  version,
  peerDependencies: Object.fromEntries(peers.map((peer) => [peer, 'workspace:^'])),
  devDependencies: Object.fromEntries(peers.map((peer) => [peer, 'workspace:^'])),
});
const workspace = (restVersion = '0.1.0', layerVersion = '0.1.0'): VersionedManifest[] => [
  { name: '@kgo/rest', version: restVersion },
  layer('@kgo/kubeconfig', layerVersion, ['@kgo/rest']),
  layer('@kgo/discovery', layerVersion, ['@kgo/rest']),
  layer('@kgo/discovery-cache', layerVersion, ['@kgo/discovery', '@kgo/rest']),
  { name: '@kgo/benchmarks', version: '0.0.0', private: true, peerDependencies: { '@kgo/rest': 'workspace:*' } },
];
const changeset = (file: string, releases: Changeset['releases']): Changeset => ({ file, releases });
const check = (changesets: Changeset[], manifests = workspace()) => checkPeerReleases(changesets, manifests, KGO_POLICY.peerOnly);

describe('parseChangeset', () => {
  it('reads quoted and bare package names and their bumps', () => {
    const text = '---\n"@kgo/rest": minor\n\'@kgo/typed\': patch\n@kgo/dynamic: major\n---\n\nA summary: with colons.\n';
    expect(parseChangeset('.changeset/a.md', text)).toEqual({
      file: '.changeset/a.md',
      releases: { '@kgo/rest': 'minor', '@kgo/typed': 'patch', '@kgo/dynamic': 'major' },
    });
    expect(parseChangeset('.changeset/empty.md', '---\n---\n\nNothing released.\n').releases).toEqual({});
  });

  it('refuses what it cannot read, naming the file and line, rather than passing it', () => {
    expect(() => parseChangeset('.changeset/b.md', '---\n"@kgo/rest": huge\n---\n')).toThrow('.changeset/b.md: cannot read the release line "\\"@kgo/rest\\": huge"');
    expect(() => parseChangeset('.changeset/c.md', 'no front matter')).toThrow('.changeset/c.md: no front matter');
  });
});

describe('bumps', () => {
  it('computes the next version and the bump that leaves a caret range', () => {
    expect([bumpVersion('a', '0.1.4', 'minor'), bumpVersion('a', '1.2.3', 'major'), bumpVersion('a', '1.2.3', 'patch'), bumpVersion('a', '1.2.3', 'none')]).toEqual([
      '0.2.0',
      '2.0.0',
      '1.2.4',
      '1.2.3',
    ]);
    expect([breakingBump('a', '1.2.3'), breakingBump('a', '0.4.0'), breakingBump('a', '0.0.3')]).toEqual(['major', 'minor', 'patch']);
    expect(() => breakingBump('@kgo/x', 'next')).toThrow('@kgo/x has version "next", which is not semver.');
  });
});

describe('checkPeerReleases', () => {
  it('asks every public peer dependent for a breaking release when @kgo/rest leaves its caret range', () => {
    const problems = check([changeset('.changeset/rest.md', { '@kgo/rest': 'minor' })]);
    expect(problems.map((problem) => problem.dependent)).toEqual(['@kgo/kubeconfig', '@kgo/discovery', '@kgo/discovery-cache']);
    expect(problems[0]!.message).toBe(
      '.changeset/rest.md releases @kgo/rest 0.1.0 → 0.2.0 (minor), out of the peer range ^0.1.0 that @kgo/kubeconfig publishes, but @kgo/kubeconfig gets no release of its own. ' +
        'Its next release moves that peer range to ^0.2.0, and apps on @kgo/rest@^0.1.0 would take it as a patch and hit an unmet peer: add "@kgo/kubeconfig": minor to a changeset (minor is the breaking bump at 0.1.0).',
    );
  });

  it('accepts the breaking releases from any changeset, flags a patch as too small, and checks each moving peer', () => {
    const rest = changeset('.changeset/rest.md', { '@kgo/rest': 'minor', '@kgo/kubeconfig': 'minor' });
    const layers = changeset('.changeset/layers.md', { '@kgo/discovery': 'major', '@kgo/discovery-cache': 'patch' });
    const problems = check([rest, layers]);
    // discovery-cache peers on rest and on discovery, and both leave their ranges: one problem each.
    expect(problems.map((problem) => [problem.dependent, problem.message.split(' ').slice(0, 5).join(' ')])).toEqual([
      ['@kgo/discovery-cache', '.changeset/rest.md releases @kgo/rest 0.1.0 →'],
      ['@kgo/discovery-cache', '.changeset/layers.md releases @kgo/discovery 0.1.0 →'],
    ]);
    expect(problems[0]!.message).toContain('but @kgo/discovery-cache gets only a patch');
    expect(problems[1]!.message).toContain('@kgo/discovery 0.1.0 → 1.0.0 (major), out of the peer range ^0.1.0');

    const fixed = changeset('.changeset/fix.md', { '@kgo/discovery-cache': 'minor' });
    expect(check([rest, layers, fixed])).toEqual([]);
  });

  it('asks nothing for a release inside the range, and judges each package at its own version', () => {
    expect(check([changeset('.changeset/a.md', { '@kgo/rest': 'patch' })])).toEqual([]);
    expect(check([changeset('.changeset/a.md', { '@kgo/rest': 'minor' })], workspace('1.4.0', '1.0.0'))).toEqual([]);
    // @kgo/rest 1.x → 2.0.0: a layer at 0.3.0 breaks with a minor, a layer at 1.x needs a major.
    const manifests = workspace('1.4.0', '0.3.0');
    manifests[1] = { ...manifests[1]!, version: '1.2.0' };
    const problems = check([changeset('.changeset/a.md', { '@kgo/rest': 'major', '@kgo/kubeconfig': 'minor', '@kgo/discovery': 'minor', '@kgo/discovery-cache': 'minor' })], manifests);
    expect(problems.map((problem) => [problem.dependent, problem.message.slice(problem.message.indexOf('add '))])).toEqual([
      ['@kgo/kubeconfig', 'add "@kgo/kubeconfig": major to a changeset (major is the breaking bump at 1.2.0).'],
    ]);
  });
});

describe('the real repository', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('has pending changesets that follow the peer rule', () => {
    const dir = join(repoRoot, '.changeset');
    const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.md') && file !== 'README.md') : [];
    const changesets = files.map((file) => parseChangeset(file, readFileSync(join(dir, file), 'utf8')));
    const manifests = loadWorkspace(repoRoot).map((pkg) => pkg.manifest as VersionedManifest);
    expect(checkPeerReleases(changesets, manifests, KGO_POLICY.peerOnly)).toEqual([]);
  });

  // Why the check exists, pinned to the changesets version in use: if a changesets upgrade starts
  // bumping peer dependents by itself (changesets 2 made them major), this test says so.
  it('gets only a patch for a peer dependent from `changeset version` when @kgo/rest leaves its range', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'kgo-changesets-'));
    temps.push(scratch);
    for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) cpSync(join(repoRoot, file), join(scratch, file));
    for (const pkg of loadWorkspace(repoRoot)) {
      mkdirSync(join(scratch, pkg.dir), { recursive: true });
      cpSync(join(repoRoot, pkg.dir, 'package.json'), join(scratch, pkg.dir, 'package.json'));
    }
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=kgo', '-c', 'user.email=kgo@example.invalid', ...args], { cwd: scratch, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'packages');
    writeFileSync(join(scratch, '.changeset', 'rest.md'), '---\n"@kgo/rest": minor\n---\n\nA breaking @kgo/rest release.\n');
    execFileSync(join(repoRoot, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: scratch, stdio: 'pipe' });

    const manifest = (dir: string) => JSON.parse(readFileSync(join(scratch, 'packages', dir, 'package.json'), 'utf8')) as VersionedManifest;
    const before = (dir: string) => JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as VersionedManifest;
    expect(manifest('rest').version).toBe(bumpVersion('@kgo/rest', before('rest').version, 'minor'));
    expect(manifest('kubeconfig').version).toBe(bumpVersion('@kgo/kubeconfig', before('kubeconfig').version, 'patch'));
    expect(manifest('kubeconfig').peerDependencies).toEqual({ '@kgo/rest': 'workspace:^' }); // pnpm writes ^<new version> at publish
  });
});

import { describe, expect, it } from 'vitest';
import { githubSlug } from './github-slug.ts';
import { type RepoLinkOptions, resolveRepoLink } from './repo-links.ts';

const root = new URL('../..', import.meta.url).pathname;
const options: RepoLinkOptions = { root, packagePages: new Set(['rest', 'envtest', 'benchmarks']) };

describe('resolveRepoLink', () => {
  it('sends a docs page link to a package folder to the package page', () => {
    expect(resolveRepoLink('../packages/envtest', 'docs/testing.md', 'docs/testing.md', options)).toEqual({ kind: 'page', href: './packages/envtest.md' });
    expect(resolveRepoLink('../packages/benchmarks/README.md#the-kgodynamic-layer-benchdynamic', 'docs/benchmarks.md', 'docs/benchmarks.md', options)).toEqual({
      kind: 'page',
      href: './packages/benchmarks.md#the-kgodynamic-layer-benchdynamic',
    });
  });

  it('resolves a README link against the README, for the page made from it', () => {
    const page = 'docs/packages/rest.md';
    const source = 'packages/rest/README.md';
    expect(resolveRepoLink('../../docs/architecture.md#one-kgorest-per-app', source, page, options)).toEqual({ kind: 'page', href: '../architecture.md#one-kgorest-per-app' });
    expect(resolveRepoLink('../envtest', source, page, options)).toEqual({ kind: 'page', href: './envtest.md' });
    expect(resolveRepoLink('../../README.md', source, page, options)).toEqual({ kind: 'page', href: '../index.md' });
    expect(resolveRepoLink('../../docs/README.md', source, page, options)).toEqual({ kind: 'page', href: '../index.md' });
  });

  it('leaves links VitePress handles alone: anchors, absolute paths, URLs, pages beside the page', () => {
    for (const href of ['#x', '/guide/getting-started', 'https://kubernetes.io', 'mailto:a@b.c', 'bundling.md#what-kgo-guarantees']) {
      expect(resolveRepoLink(href, 'docs/architecture.md', 'docs/architecture.md', options)).toEqual({ kind: 'unchanged' });
    }
  });

  it('turns a link to another repository file into plain text, or into a code-host link when a repository URL is set', () => {
    const source = 'packages/rest/README.md';
    expect(resolveRepoLink('src/retry.test.ts', source, 'docs/packages/rest.md', options)).toEqual({ kind: 'repo', path: 'packages/rest/src/retry.test.ts' });
    expect(resolveRepoLink('src/retry.test.ts#L3', source, 'docs/packages/rest.md', { ...options, repoUrl: 'https://example.test/kgo/' })).toEqual({
      kind: 'repo',
      path: 'packages/rest/src/retry.test.ts',
      href: 'https://example.test/kgo/blob/main/packages/rest/src/retry.test.ts#L3',
    });
    expect(resolveRepoLink('../.changeset/README.md', 'docs/architecture.md', 'docs/architecture.md', options)).toEqual({ kind: 'repo', path: '.changeset/README.md' });
  });
});

describe('githubSlug', () => {
  it('makes the anchors GitHub makes', () => {
    expect(githubSlug('One @kgo/rest per app')).toBe('one-kgorest-per-app');
    expect(githubSlug('The @kgo/dynamic layer (bench:dynamic)')).toBe('the-kgodynamic-layer-benchdynamic');
    expect(githubSlug('What kgo guarantees')).toBe('what-kgo-guarantees');
    expect(githubSlug('client-go → kgo: rest')).toBe('client-go--kgo-rest');
    expect(githubSlug('snake_case and Ünïcode')).toBe('snake_case-and-ünïcode');
  });
});

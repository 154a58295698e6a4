import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckResult, checkWorkspace, findCycles, formatViolation, KGO_POLICY, type PackageManifest, type Rule } from './dag-check.ts';
import { loadWorkspace, workspacePatterns } from './workspace.ts';

interface FakePackage {
  manifest: PackageManifest & Required<Pick<PackageManifest, 'dependencies' | 'devDependencies'>>;
  /** Package-relative path → source text. */
  files: Record<string, string>;
}

const testDeps = { '@kgo/envtest': 'workspace:^', vitest: '5.1.1' };
// The layers above rest take what they stand on as peers (one copy per app), plus a devDependency to build against.
const client = (name: string, deps: string[], src: string): FakePackage => ({
  manifest: {
    name,
    dependencies: {},
    peerDependencies: Object.fromEntries(deps.map((dep) => [dep, 'workspace:^'])),
    devDependencies: { ...testDeps, ...Object.fromEntries(deps.map((dep) => [dep, 'workspace:^'])) },
  },
  files: {
    'src/index.ts': src,
    'src/index.test.ts': "import { it } from 'vitest';\nimport { testCluster } from '@kgo/envtest/vitest';\n",
    'vitest.config.ts': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n",
  },
});

/** A small workspace shaped like kgo that satisfies every rule; tests break one thing each. */
function validWorkspace(): Record<string, FakePackage> {
  return {
    rest: {
      manifest: { name: '@kgo/rest', dependencies: { ky: '^2.1.0' }, devDependencies: { ...testDeps } },
      files: {
        'src/index.ts': "import ky from 'ky';\nimport { readFile } from 'node:fs/promises';\nimport { join } from 'path';\nexport * from './errors/status.ts';\n",
        'src/errors/status.ts': "import type { Options } from 'ky';\nexport { join } from '../index.ts';\nexport type { Options };\n",
        'src/test/helpers.ts': "import { expect } from 'vitest';\n",
      },
    },
    kubeconfig: client('@kgo/kubeconfig', ['@kgo/rest'], "import { RESTClient } from '@kgo/rest';\n"),
    discovery: client('@kgo/discovery', ['@kgo/rest'], "export type { RestConfig } from '@kgo/rest';\n"),
    'discovery-cache': client('@kgo/discovery-cache', ['@kgo/discovery', '@kgo/rest'], "import '@kgo/discovery';\nconst rest = await import('@kgo/rest');\n"),
    typed: client('@kgo/typed', ['@kgo/rest'], "export * as rest from '@kgo/rest';\n"),
    dynamic: client('@kgo/dynamic', ['@kgo/rest'], "let client: typeof import('@kgo/rest');\n"),
    informer: client('@kgo/informer', ['@kgo/rest'], "import type { ListOptions } from '@kgo/rest';\n"),
    envtest: {
      manifest: {
        name: '@kgo/envtest',
        dependencies: {},
        peerDependencies: { vitest: '>=3' },
        devDependencies: { vitest: '5.1.1' },
      },
      files: { 'src/vitest.ts': "import { inject } from 'vitest';\nimport type { TestProject } from 'vitest/node';\n" },
    },
    'repo-tools': {
      manifest: {
        name: '@kgo/repo-tools',
        private: true,
        dependencies: {},
        devDependencies: { '@kgo/rest': 'workspace:*', '@kgo/typed': 'workspace:*', '@kgo/envtest': 'workspace:*', vitest: '5.1.1' },
      },
      files: { 'src/check.test.ts': "import { it } from 'vitest';\nimport '@kgo/typed';\n" },
    },
  };
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Writes the fake workspace to a temp dir and checks it, going through the same loader as the CLI. */
function check(packages: Record<string, FakePackage>, policy = KGO_POLICY): CheckResult {
  const root = mkdtempSync(join(tmpdir(), 'kgo-dag-check-'));
  roots.push(root);
  for (const [dir, pkg] of Object.entries(packages)) {
    const files = { 'package.json': `${JSON.stringify(pkg.manifest, null, 2)}\n`, ...pkg.files };
    for (const [path, text] of Object.entries(files)) {
      const file = join(root, 'packages', dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  return checkWorkspace(loadWorkspace(root), policy);
}

const rulesOf = (result: CheckResult): Rule[] => result.violations.map((violation) => violation.rule);
const messagesOf = (result: CheckResult): string[] => result.violations.map(formatViolation);

describe('checkWorkspace', () => {
  it('accepts a workspace that follows the layers', () => {
    const result = check(validWorkspace());
    expect(messagesOf(result)).toEqual([]);
    expect(result.packages).toBe(9);
    // 7 client edges + 7 envtest devDependencies + 3 from repo-tools.
    expect(result.edges).toBe(17);
    expect(result.imports).toBeGreaterThan(20);
  });

  it('rejects rest → kubeconfig, in package.json and at the import', () => {
    const workspace = validWorkspace();
    workspace.rest!.manifest.dependencies['@kgo/kubeconfig'] = 'workspace:^';
    workspace.rest!.files['src/x.ts'] = "// loads kubeconfig\n\nimport { loadConfig } from '@kgo/kubeconfig';\n";
    const result = check(workspace);

    expect(rulesOf(result)).toContain('layer');
    const messages = messagesOf(result).join('\n');
    expect(messages).toContain(
      "packages/rest/src/x.ts:3 imports '@kgo/kubeconfig', but @kgo/rest may not depend on @kgo/kubeconfig (allowed: none). The layers are: @kgo/rest → nothing;",
    );
    expect(messages).toMatch(/packages\/rest\/package\.json:\d+: dependencies lists '@kgo\/kubeconfig', but @kgo\/rest may not depend on/);
  });

  it('rejects typed → dynamic, even as a devDependency', () => {
    const workspace = validWorkspace();
    workspace.typed!.manifest.devDependencies['@kgo/dynamic'] = 'workspace:^';
    workspace.typed!.files['src/client.test.ts'] = "import { DynamicClient } from '@kgo/dynamic';\n";
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['layer', 'layer']);
    expect(messagesOf(result).join('\n')).toContain('@kgo/typed may not depend on @kgo/dynamic (allowed: @kgo/rest)');
  });

  it('rejects informer → typed or dynamic: informers take their clients structurally', () => {
    const workspace = validWorkspace();
    workspace.informer!.manifest.peerDependencies!['@kgo/typed'] = 'workspace:^';
    workspace.informer!.manifest.devDependencies['@kgo/typed'] = 'workspace:^';
    workspace.informer!.files['src/factory.ts'] = "import type { DynamicClient } from '@kgo/dynamic';\n";
    const result = check(workspace);

    expect(rulesOf(result).sort()).toEqual(['layer', 'layer', 'layer']);
    const messages = messagesOf(result).join('\n');
    expect(messages).toContain('@kgo/informer may not depend on @kgo/typed (allowed: @kgo/rest)');
    expect(messages).toContain("packages/informer/src/factory.ts:1 imports '@kgo/dynamic', but @kgo/informer may not depend on @kgo/dynamic (allowed: @kgo/rest)");
  });

  it('rejects a cycle and names its path', () => {
    const workspace = validWorkspace();
    workspace.rest!.manifest.dependencies['@kgo/discovery'] = 'workspace:^';
    expect(messagesOf(check(workspace)).join('\n')).toContain('dependency cycle @kgo/discovery → @kgo/rest → @kgo/discovery');

    // A cycle is caught on its own, even if a (broken) policy allowed every edge of it.
    const permissive = { ...KGO_POLICY, layers: { ...KGO_POLICY.layers, '@kgo/rest': ['@kgo/discovery'] }, peerOnly: [] };
    const result = check(workspace, permissive);
    expect(rulesOf(result)).toEqual(['cycle']);
    expect(result.violations[0]!.where).toBe('packages/discovery/package.json, packages/rest/package.json');
  });

  it('rejects relative imports that reach into a sibling or out of the package', () => {
    const workspace = validWorkspace();
    workspace.typed!.files['src/client.ts'] = [
      "import { RESTClient } from '../../rest/src/index.ts';",
      "export { status } from '../../rest/src/errors/status.ts';",
      "const shared = await import('../../../shared.ts');",
      "import '/abs/path.ts';",
    ].join('\n');
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['relative-escape', 'relative-escape', 'relative-escape', 'relative-escape']);
    const messages = messagesOf(result);
    expect(messages[0]).toContain("packages/typed/src/client.ts:1 imports '../../rest/src/index.ts', but that reaches into @kgo/rest (packages/rest) by relative path");
    expect(messages[1]).toContain('packages/typed/src/client.ts:2');
    expect(messages[2]).toContain('resolves to shared.ts, outside packages/typed');
    expect(messages[3]).toContain('absolute path');
  });

  it('rejects bare imports that package.json does not declare, types and subpaths included', () => {
    const workspace = validWorkspace();
    workspace.rest!.files['src/x.ts'] = "import type { Document } from 'yaml';\nimport fp from 'lodash/fp';\n";
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['undeclared', 'undeclared']);
    expect(messagesOf(result)[0]).toContain(
      "packages/rest/src/x.ts:1 imports 'yaml', but @kgo/rest does not declare 'yaml': add it to dependencies (or peerDependencies) in packages/rest/package.json",
    );
    expect(messagesOf(result)[1]).toContain("does not declare 'lodash'");
  });

  it('rejects a runtime file importing a devDependency, but lets tests and configs do it', () => {
    const workspace = validWorkspace();
    workspace.rest!.files['src/x.ts'] = "import { vi } from 'vitest';\n";
    workspace.rest!.files['src/x.test-utils.ts'] = "import { vi } from 'vitest';\n";
    workspace.rest!.files['src/x.spec.ts'] = "import { vi } from 'vitest';\n";
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['dev-only-import']);
    expect(messagesOf(result)[0]).toContain("packages/rest/src/x.ts:1 imports 'vitest', but 'vitest' is only a devDependency of @kgo/rest");
  });

  it('rejects @kgo/envtest as a runtime dependency or a runtime import', () => {
    const workspace = validWorkspace();
    workspace.typed!.manifest.dependencies['@kgo/envtest'] = 'workspace:^';
    workspace.dynamic!.files['src/cluster.ts'] = "import { startControlPlane } from '@kgo/envtest';\n";
    workspace.envtest!.manifest.devDependencies['@kgo/rest'] = 'workspace:^';
    const result = check(workspace);

    // envtest → rest also closes a cycle with rest's devDependency on envtest.
    expect(rulesOf(result).sort()).toEqual(['cycle', 'layer', 'test-only', 'test-only']);
    const messages = messagesOf(result).join('\n');
    expect(messages).toContain("dependencies lists '@kgo/envtest', but @kgo/envtest is test-only");
    expect(messages).toContain("packages/dynamic/src/cluster.ts:1 imports '@kgo/envtest', but @kgo/envtest is test-only");
    expect(messages).toContain('@kgo/envtest may not depend on @kgo/rest (allowed: none)');
  });

  it('lets private packages depend on any public package, envtest included, from any file', () => {
    const workspace = validWorkspace();
    workspace.benchmarks = {
      manifest: { name: '@kgo/benchmarks', private: true, dependencies: { '@kgo/envtest': 'workspace:*', '@kgo/dynamic': 'workspace:*' }, devDependencies: {} },
      files: { 'src/run.ts': "import { startControlPlane } from '@kgo/envtest';\nimport '@kgo/dynamic';\n" },
    };
    expect(messagesOf(check(workspace))).toEqual([]);
  });

  it("lets a private package (the docs site) use the repository's private tools; a published one may not", () => {
    const workspace = validWorkspace();
    workspace.docs = {
      manifest: { name: '@kgo/docs', private: true, dependencies: {}, devDependencies: { '@kgo/repo-tools': 'workspace:*' } },
      files: { 'scripts/entry-points.ts': "import { exportEntries } from '@kgo/repo-tools/exports-map';\n" },
    };
    expect(messagesOf(check(workspace))).toEqual([]);
    workspace.dynamic!.manifest.devDependencies['@kgo/repo-tools'] = 'workspace:*';
    expect(messagesOf(check(workspace))).toEqual([
      "✗ [private] packages/dynamic/package.json:11: devDependencies lists '@kgo/repo-tools', but @kgo/repo-tools is private and not published, so no published package may depend on it.",
    ]);
  });

  it('rejects depending on the private repo-tools, non-workspace ranges and packages missing from the layers', () => {
    const workspace = validWorkspace();
    workspace.dynamic!.manifest.devDependencies['@kgo/repo-tools'] = 'workspace:*';
    workspace.kubeconfig!.manifest.peerDependencies!['@kgo/rest'] = '^0.1.0';
    workspace.informers = client('@kgo/informers', ['@kgo/rest'], "import '@kgo/rest';\n");
    const result = check(workspace);

    expect(rulesOf(result).sort()).toEqual(['private', 'unknown-package', 'workspace-range']);
    expect(messagesOf(result).join('\n')).toContain('@kgo/informers is not in the layer table');
  });

  it('counts peerDependencies as edges: a disallowed peer, envtest as a peer, a cycle through peers', () => {
    const workspace = validWorkspace();
    workspace.typed!.manifest.peerDependencies!['@kgo/dynamic'] = 'workspace:^';
    workspace.typed!.manifest.devDependencies['@kgo/dynamic'] = 'workspace:^';
    workspace.dynamic!.manifest.peerDependencies!['@kgo/envtest'] = 'workspace:^';
    workspace.rest!.manifest.peerDependencies = { '@kgo/discovery': 'workspace:^' };
    workspace.rest!.manifest.devDependencies['@kgo/discovery'] = 'workspace:^';
    const result = check(workspace);

    const messages = messagesOf(result).join('\n');
    expect(messages).toMatch(/packages\/typed\/package\.json:\d+: peerDependencies lists '@kgo\/dynamic', but @kgo\/typed may not depend on @kgo\/dynamic/);
    expect(messages).toContain("peerDependencies lists '@kgo/envtest', but @kgo/envtest is test-only");
    expect(messages).toContain("peerDependencies lists '@kgo/discovery', but @kgo/rest may not depend on @kgo/discovery");
    expect(messages).toContain('dependency cycle @kgo/discovery → @kgo/rest → @kgo/discovery');
    // typed → dynamic and rest → discovery, each as a peer and a devDependency; dynamic → envtest as a peer.
    expect(rulesOf(result).sort()).toEqual(['cycle', 'layer', 'layer', 'layer', 'layer', 'test-only']);

    // The cycle needs no dependencies entry: peer edges alone close it.
    const permissive = { ...KGO_POLICY, layers: { ...KGO_POLICY.layers, '@kgo/rest': ['@kgo/discovery'] } };
    const peersOnly = validWorkspace();
    peersOnly.rest!.manifest.peerDependencies = { '@kgo/discovery': 'workspace:^' };
    peersOnly.rest!.manifest.devDependencies['@kgo/discovery'] = 'workspace:^';
    expect(rulesOf(check(peersOnly, permissive))).toEqual(['cycle']);
  });

  it('rejects rest or discovery as a dependency of a publishable package: they are peers, one copy per app', () => {
    const workspace = validWorkspace();
    workspace.kubeconfig!.manifest.dependencies['@kgo/rest'] = 'workspace:^';
    workspace['discovery-cache']!.manifest.dependencies['@kgo/discovery'] = 'workspace:^';
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['peer-only', 'peer-only']);
    const messages = messagesOf(result);
    expect(messages[0]).toMatch(/packages\/discovery-cache\/package\.json:\d+: dependencies lists '@kgo\/discovery', but @kgo\/discovery is peer-only: an app must hold one copy of it/);
    expect(messages[1]).toContain(`dependencies lists '@kgo/rest', but @kgo/rest is peer-only`);
    expect(messages[1]).toContain('Move it to peerDependencies ("workspace:^") and also list it in devDependencies ("workspace:^")');

    // Private packages have no consumers to share a copy with: they may list rest as a dependency.
    const privateOnly = validWorkspace();
    privateOnly.benchmarks = {
      manifest: { name: '@kgo/benchmarks', private: true, dependencies: { '@kgo/rest': 'workspace:*' }, devDependencies: {} },
      files: { 'src/run.ts': "import '@kgo/rest';\n" },
    };
    expect(messagesOf(check(privateOnly))).toEqual([]);
  });

  it('rejects an internal peer range other than workspace:^, and a peer without a devDependency', () => {
    const workspace = validWorkspace();
    workspace.typed!.manifest.peerDependencies!['@kgo/rest'] = 'workspace:*';
    delete workspace.dynamic!.manifest.devDependencies['@kgo/rest'];
    const result = check(workspace);

    expect(rulesOf(result).sort()).toEqual(['peer-range', 'peer-without-dev']);
    const messages = messagesOf(result).join('\n');
    expect(messages).toMatch(/packages\/typed\/package\.json:\d+: peerDependencies lists '@kgo\/rest', but at 'workspace:\*': an internal peer range must be "workspace:\^"/);
    expect(messages).toMatch(/packages\/dynamic\/package\.json:\d+: peerDependencies lists '@kgo\/rest', but devDependencies does not: add "@kgo\/rest": "workspace:\^" there too/);
  });

  it('rejects runtime code of a published package that locates its own files, which a bundle does not carry', () => {
    const workspace = validWorkspace();
    workspace.rest!.files['src/user-agent.ts'] = "import { createRequire } from 'node:module';\nconst { version } = createRequire(import.meta.url)('../package.json');\n";
    workspace.typed!.files['src/schema.ts'] = "// the OpenAPI document ships next to this file\nexport const schemaUrl = new URL('./openapi.json', import.meta.url);\n";
    // Tests, the test-only envtest and private packages may.
    workspace.typed!.files['src/schema.test.ts'] = 'const fixtures = import.meta.dirname;\n';
    workspace.typed!.files['src/__fixtures__/openapi.ts'] = "export const pki = new URL('pki/', import.meta.url);\n";
    workspace.envtest!.files['src/binaries.ts'] = "const go = new URL('../go/', import.meta.url);\n";
    workspace['repo-tools']!.files['src/root.ts'] = "export const root = new URL('../../..', import.meta.url);\n";
    const result = check(workspace);

    expect(rulesOf(result)).toEqual(['own-file-read', 'own-file-read', 'own-file-read', 'own-file-read']);
    const messages = messagesOf(result);
    expect(messages.map((message) => message.split(' uses ')[0])).toEqual([
      '✗ [own-file-read] packages/rest/src/user-agent.ts:1',
      '✗ [own-file-read] packages/rest/src/user-agent.ts:2',
      '✗ [own-file-read] packages/rest/src/user-agent.ts:2',
      '✗ [own-file-read] packages/typed/src/schema.ts:2',
    ]);
    expect(messages[2]).toContain(
      'uses import.meta.url, but runtime code of @kgo/rest may not locate its own files: a bundled app carries none of them (docs/bundling.md). Compile the data in at build time',
    );
  });

  it('ignores imports inside comments, strings, templates and regexes', () => {
    const workspace = validWorkspace();
    workspace.rest!.files['src/x.ts'] = [
      "// import x from 'lodash';",
      "/* import('lodash') */",
      "const a = \"import x from 'lodash'\";",
      'const b = `export * from "lodash" ${"}"} import("lodash")`;',
      "const c = /import '(lodash)'/g.test(a) ? 1 : 2 / 3;",
      "const url = 'http://example.com'; import { Options } from 'ky';",
    ].join('\n');
    expect(messagesOf(check(workspace))).toEqual([]);
  });
});

describe('the workspace folders (pnpm-workspace.yaml)', () => {
  /** The valid workspace, plus a top-level examples/ package and the pnpm-workspace.yaml listing it. */
  function withExamples(exampleFiles: Record<string, string>, workspaceYaml: string): string {
    const root = mkdtempSync(join(tmpdir(), 'kgo-dag-check-'));
    roots.push(root);
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    for (const [dir, pkg] of Object.entries(validWorkspace())) {
      write(`packages/${dir}/package.json`, JSON.stringify(pkg.manifest));
      for (const [path, text] of Object.entries(pkg.files)) write(`packages/${dir}/${path}`, text);
    }
    const manifest = {
      name: '@kgo/examples',
      private: true,
      dependencies: { '@kgo/rest': 'workspace:^', '@kgo/typed': 'workspace:^' },
      devDependencies: { '@kgo/envtest': 'workspace:^', vitest: '5.1.1' },
    };
    write('examples/package.json', JSON.stringify(manifest));
    for (const [path, text] of Object.entries(exampleFiles)) write(`examples/${path}`, text);
    write('pnpm-workspace.yaml', workspaceYaml);
    return root;
  }
  const yaml = "packages:\n  - packages/*\n  # the walkthroughs\n  - 'examples'   # private\n\nallowBuilds:\n  - esbuild\n";

  it('reads the package patterns of pnpm-workspace.yaml, quotes and comments aside, and only its packages list', () => {
    const root = withExamples({}, yaml);
    expect(workspacePatterns(root)).toEqual(['packages/*', 'examples']);
  });

  it('checks a top-level examples package: its root files and test/ folder, as a private package', () => {
    const root = withExamples(
      {
        'list-pods.ts': "import { RestClient } from '@kgo/rest';\nimport { coreV1 } from '@kgo/typed/core/v1';\n",
        'test/examples.test.ts': "import { it } from 'vitest';\nimport { testCluster } from '@kgo/envtest/vitest';\n",
      },
      yaml,
    );
    const packages = loadWorkspace(root);
    const examples = packages.find((pkg) => pkg.dir === 'examples');
    expect(examples?.files.map((file) => file.path)).toEqual(['examples/list-pods.ts', 'examples/test/examples.test.ts']);
    expect(messagesOf(checkWorkspace(packages))).toEqual([]);
  });

  it('reports an example that reaches into a package by relative path or imports what it does not declare', () => {
    const root = withExamples(
      {
        'list-pods.ts': "import { RestClient } from '../packages/rest/src/index.ts';\n",
        'test/examples.test.ts': "import { parse } from 'yaml';\n",
      },
      yaml,
    );
    const result = checkWorkspace(loadWorkspace(root));
    expect(rulesOf(result)).toEqual(['relative-escape', 'undeclared']);
    expect(result.violations.map((violation) => violation.where)).toEqual(['examples/list-pods.ts:1', 'examples/test/examples.test.ts:1']);
  });

  it('refuses a package pattern it cannot read, rather than leave packages unchecked', () => {
    const root = withExamples({}, 'packages:\n  - packages/**\n');
    expect(() => loadWorkspace(root)).toThrow('pnpm-workspace.yaml lists the package pattern "packages/**"');
  });
});

describe('findCycles', () => {
  it('reports each cycle once, as a closed path', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'a']],
      ['c', ['c']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['c', 'c'], ['a', 'b', 'a']]);
  });
});

describe('the real repository', () => {
  it('has no DAG violations', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const packages = loadWorkspace(root);
    const result = checkWorkspace(packages);
    expect(messagesOf(result)).toEqual([]);
    expect(result.packages).toBeGreaterThanOrEqual(8);
    // The private apps are checked too: the demo under packages/, the examples at the top level.
    expect(packages.map((pkg) => pkg.dir)).toEqual(expect.arrayContaining(['examples', 'packages/demo', 'packages/rest']));
  });
});

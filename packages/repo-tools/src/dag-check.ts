/**
 * The package DAG check: the layering rules of the @kgo packages, applied to an in-memory model
 * of the workspace (see `workspace.ts` for reading one from disk). Pure: no I/O here, so the
 * rules are easy to test on fake workspaces.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { findImports, findOwnLocationUses } from './imports.ts';

/** The dependency fields of a package.json that the check reads. */
export interface PackageManifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A source file, by repository-relative POSIX path. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One workspace package: its folder (repository-relative, e.g. `packages/rest`), manifest and sources. */
export interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
  /** The raw package.json text, used only to point violations at a line. */
  manifestText?: string;
  /** `src/**` files plus the package's root config files (`vitest.config.ts`, …). */
  files: SourceFile[];
}

/** The layering policy: which internal package may depend on which. */
export interface LayerPolicy {
  /** Names starting with this are internal (`@kgo/`). */
  scope: string;
  /** Every publishable package and the internal packages it may depend on. */
  layers: Readonly<Record<string, readonly string[]>>;
  /** Packages that may only ever be devDependencies (`@kgo/envtest`). */
  testOnly: readonly string[];
  /**
   * Packages an app must have exactly one copy of (`@kgo/rest`, `@kgo/discovery`): publishable
   * packages list them as peerDependencies with a `workspace:^` range, plus a devDependency to
   * build and test against, never as dependencies (see docs/architecture.md, "One @kgo/rest per app").
   */
  peerOnly: readonly string[];
}

/** The kgo layers: rest at the bottom, clients and informers on rest, the discovery cache on discovery. */
export const KGO_POLICY: LayerPolicy = {
  scope: '@kgo/',
  layers: {
    '@kgo/rest': [],
    '@kgo/kubeconfig': ['@kgo/rest'],
    '@kgo/discovery': ['@kgo/rest'],
    '@kgo/typed': ['@kgo/rest'],
    '@kgo/dynamic': ['@kgo/rest'],
    // Informers take any ListerWatcher structurally, so typed and dynamic clients fit without an edge to them.
    '@kgo/informer': ['@kgo/rest'],
    '@kgo/discovery-cache': ['@kgo/discovery', '@kgo/rest'],
    '@kgo/envtest': [],
  },
  testOnly: ['@kgo/envtest'],
  peerOnly: ['@kgo/rest', '@kgo/discovery'],
};

/** The rule a violation breaks. */
export type Rule =
  | 'layer' // an internal edge the layers do not allow
  | 'cycle' // internal package edges form a cycle
  | 'test-only' // a test-only package used as a runtime dependency
  | 'private' // a dependency on a private workspace package
  | 'unknown-package' // a publishable package missing from the layer table
  | 'workspace-range' // an internal dependency without a `workspace:` range
  | 'peer-only' // a peer-only package listed in dependencies
  | 'peer-range' // an internal peer dependency whose range is not `workspace:^`
  | 'peer-without-dev' // an internal peer dependency without a devDependency to build against
  | 'relative-escape' // a relative (or absolute) import that leaves its package folder
  | 'undeclared' // a bare import missing from package.json
  | 'dev-only-import' // a runtime file importing a devDependency
  | 'own-file-read'; // a runtime file locating its own package's files (bundles carry none)

/** One broken rule, with a message naming the place, the rule and the fix. */
export interface Violation {
  rule: Rule;
  /** Repository-relative file, with `:line` when known. */
  where: string;
  message: string;
}

/** What a check found, plus counts for the summary line. */
export interface CheckResult {
  violations: Violation[];
  packages: number;
  /** Internal package → package edges in package.json files. */
  edges: number;
  files: number;
  imports: number;
}

type DependencyField = 'dependencies' | 'peerDependencies' | 'devDependencies';
const DEPENDENCY_FIELDS: readonly DependencyField[] = ['dependencies', 'peerDependencies', 'devDependencies'];
const BUILTINS = new Set(builtinModules);

/** Maps a bare specifier to its package name: `vitest/config` → `vitest`, `@kgo/envtest/vitest` → `@kgo/envtest`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Whether a file (path relative to its package) is test or tooling code, which may import
 * devDependencies: `*.test.ts`, `*.spec.ts`, `*.test-utils.ts`, anything under `src/test/` or a
 * `__fixtures__/` folder (which the builds exclude), and the package's root config files.
 * Everything else under `src/` ships to consumers.
 */
export function isTestFile(pathInPackage: string): boolean {
  return (
    !pathInPackage.startsWith('src/') ||
    pathInPackage.startsWith('src/test/') ||
    pathInPackage.includes('/__fixtures__/') ||
    /\.(test|spec|test-utils)\.[cm]?tsx?$/.test(pathInPackage)
  );
}

function describeLayers(policy: LayerPolicy): string {
  const layers = Object.entries(policy.layers).map(([name, allowed]) => {
    const testOnly = policy.testOnly.includes(name) ? ', and only as a devDependency' : '';
    return `${name} → ${allowed.length > 0 ? allowed.join(', ') : 'nothing'}${testOnly}`;
  });
  return `The layers are: ${layers.join('; ')}.`;
}

function lineOfDependency(pkg: WorkspacePackage, field: DependencyField, name: string): string {
  const lines = pkg.manifestText?.split('\n') ?? [];
  const fieldLine = lines.findIndex((line) => line.includes(`"${field}"`));
  const depLine = fieldLine === -1 ? -1 : lines.findIndex((line, i) => i > fieldLine && line.includes(`"${name}"`));
  return `${pkg.dir}/package.json${depLine === -1 ? '' : `:${depLine + 1}`}`;
}

type EdgeProblem = [Rule, string] | undefined;

/** Shared state of one check run. */
interface Checker {
  packages: readonly WorkspacePackage[];
  policy: LayerPolicy;
  violations: Violation[];
  isInternal(name: string): boolean;
  isPrivate(name: string): boolean;
  /** Why the internal edge from → to, declared in (or, for an import, needing) `field`, is not allowed. */
  edgeProblem(from: string, to: string, field: DependencyField): EdgeProblem;
}

function createChecker(packages: readonly WorkspacePackage[], policy: LayerPolicy): Checker {
  const byName = new Map(packages.map((pkg) => [pkg.manifest.name, pkg]));
  const isPrivate = (name: string) => byName.get(name)?.manifest.private === true;
  const layersText = describeLayers(policy);
  return {
    packages,
    policy,
    violations: [],
    isInternal: (name) => name.startsWith(policy.scope) || byName.has(name),
    isPrivate,
    edgeProblem(from, to, field) {
      // The layers keep what consumers install clean. Private packages (repo-tools, benchmarks,
      // docs) have no consumers, so as a source they may depend on any package, envtest and the
      // repository's own private tools included; a published package may not depend on those.
      if (isPrivate(from)) return undefined;
      if (isPrivate(to)) return ['private', `${to} is private and not published, so no published package may depend on it.`];
      if (policy.testOnly.includes(to) && from !== to) {
        if (field === 'devDependencies') return undefined;
        return ['test-only', `${to} is test-only: list it under devDependencies and import it only from tests (*.test.ts, src/test/, vitest.config.ts).`];
      }
      const allowed = policy.layers[from];
      if (allowed === undefined || allowed.includes(to)) return undefined; // unknown packages are reported once, elsewhere
      const allowedText = allowed.length > 0 ? allowed.join(', ') : 'none';
      return ['layer', `${from} may not depend on ${to} (allowed: ${allowedText}). ${layersText} Move the shared code down a layer, or depend the other way round.`];
    },
  };
}

/** Checks the package.json files; returns the internal dependency graph. */
function checkManifests(checker: Checker): Map<string, string[]> {
  const { policy, violations } = checker;
  const graph = new Map<string, string[]>();
  for (const pkg of checker.packages) {
    const { name } = pkg.manifest;
    if (!pkg.manifest.private && name.startsWith(policy.scope) && policy.layers[name] === undefined) {
      violations.push({
        rule: 'unknown-package',
        where: `${pkg.dir}/package.json`,
        message: `${name} is not in the layer table: add it to KGO_POLICY.layers in packages/repo-tools/src/dag-check.ts with the internal packages it may depend on.`,
      });
    }
    const targets = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      for (const [dep, range] of Object.entries(pkg.manifest[field] ?? {})) {
        if (!checker.isInternal(dep)) continue;
        targets.add(dep);
        const where = lineOfDependency(pkg, field, dep);
        const problem = checker.edgeProblem(name, dep, field);
        if (problem) violations.push({ rule: problem[0], where, message: `${field} lists '${dep}', but ${problem[1]}` });
        if (!range.startsWith('workspace:')) {
          violations.push({
            rule: 'workspace-range',
            where,
            message: `${field} lists '${dep}' at '${range}': internal packages must use a workspace range ("workspace:^"), which pnpm links locally and rewrites to the real version on publish.`,
          });
        }
      }
    }
    if (!pkg.manifest.private) checkPeers(checker, pkg);
    graph.set(name, [...targets]);
  }

  const dirOf = new Map(checker.packages.map((pkg) => [pkg.manifest.name, pkg.dir]));
  for (const cycle of findCycles(graph)) {
    violations.push({
      rule: 'cycle',
      where: cycle.slice(0, -1).map((name) => `${dirOf.get(name) ?? name}/package.json`).join(', '),
      message: `dependency cycle ${cycle.join(' → ')}: builds run in dependency order and installs need a DAG, so remove one of these edges.`,
    });
  }
  return graph;
}

const PEER_REASON = 'an app must hold one copy of it (one connection pool, one RestClient type, errors that pass instanceof), chosen by the app (docs/architecture.md, "One @kgo/rest per app")';

/** The peer rules of a publishable package: shared packages are peers, with a workspace:^ range and a devDependency. */
function checkPeers(checker: Checker, pkg: WorkspacePackage): void {
  const { name, dependencies = {}, peerDependencies = {}, devDependencies = {} } = pkg.manifest;
  const report = (rule: Rule, field: DependencyField, dep: string, message: string) =>
    checker.violations.push({ rule, where: lineOfDependency(pkg, field, dep), message: `${field} lists '${dep}', but ${message}` });
  for (const dep of Object.keys(dependencies)) {
    if (checker.policy.peerOnly.includes(dep) && dep !== name) {
      report('peer-only', 'dependencies', dep, `${dep} is peer-only: ${PEER_REASON}. Move it to peerDependencies ("workspace:^") and also list it in devDependencies ("workspace:^").`);
    }
  }
  for (const [dep, range] of Object.entries(peerDependencies)) {
    if (!checker.isInternal(dep)) continue;
    if (range.startsWith('workspace:') && range !== 'workspace:^') {
      report('peer-range', 'peerDependencies', dep, `at '${range}': an internal peer range must be "workspace:^", which pnpm publishes as ^<version>, so that layers released against different compatible versions of ${dep} share one copy.`);
    }
    if (devDependencies[dep] === undefined) {
      report('peer-without-dev', 'peerDependencies', dep, `devDependencies does not: add "${dep}": "workspace:^" there too. A peer installs nothing by itself; the devDependency links the workspace copy that ${name} builds and tests against.`);
    }
  }
}

/** What is wrong with one import of `file` in `pkg`, if anything. */
function importProblem(checker: Checker, pkg: WorkspacePackage, file: SourceFile, specifier: string): EdgeProblem {
  const { name } = pkg.manifest;
  if (specifier.startsWith('#')) return undefined; // package.json "imports": private to the package
  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return undefined;
  if (specifier.startsWith('/') || specifier.startsWith('file:')) {
    return ['relative-escape', `an absolute path only resolves on this machine. Import a file of ${pkg.dir} relatively, or a package by name.`];
  }
  if (specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../')) {
    const resolved = posix.normalize(posix.join(posix.dirname(file.path), specifier));
    if (resolved.startsWith(`${pkg.dir}/`)) return undefined;
    const owner = checker.packages.find((other) => resolved === other.dir || resolved.startsWith(`${other.dir}/`));
    return [
      'relative-escape',
      owner
        ? `that reaches into ${owner.manifest.name} (${owner.dir}) by relative path, bypassing its package.json, exports and build. Import '${owner.manifest.name}' instead, declared in ${name}'s package.json (if the layers allow it).`
        : `that resolves to ${resolved}, outside ${pkg.dir}: a published package only contains its own folder. Move the code into ${pkg.dir}, or into a package it may depend on.`,
    ];
  }

  const dep = packageNameOf(specifier);
  if (dep === name) return undefined; // self-reference through the package's own exports
  const testFile = isTestFile(file.path.slice(pkg.dir.length + 1));
  if (checker.isInternal(dep)) {
    const problem = checker.edgeProblem(name, dep, testFile ? 'devDependencies' : 'dependencies');
    if (problem) return problem;
  }
  const runtime = pkg.manifest.dependencies?.[dep] ?? pkg.manifest.peerDependencies?.[dep];
  const dev = pkg.manifest.devDependencies?.[dep];
  if (runtime === undefined && dev === undefined) {
    const field = testFile ? 'devDependencies' : 'dependencies (or peerDependencies)';
    return ['undeclared', `${name} does not declare '${dep}': add it to ${field} in ${pkg.dir}/package.json. Undeclared packages only resolve by accident of hoisting, and not for consumers.`];
  }
  // Private packages have no consumers, so for them any declared dependency will do.
  if (runtime === undefined && !testFile && !pkg.manifest.private) {
    return ['dev-only-import', `'${dep}' is only a devDependency of ${name}, which consumers do not install. Runtime files may only import dependencies/peerDependencies: move '${dep}' to dependencies, or import it only from tests (*.test.ts, src/test/, vitest.config.ts).`];
  }
  return undefined;
}

/**
 * Runtime files of a published package may not locate their own files (`import.meta.url`,
 * `createRequire`, `__dirname`…): a bundled app carries no package folder, so such a read fails at
 * run time with no bundler warning. Test-only and private packages, and tests, may.
 */
function checkOwnFileReads(checker: Checker, pkg: WorkspacePackage, file: SourceFile): void {
  const { name } = pkg.manifest;
  if (pkg.manifest.private || checker.policy.testOnly.includes(name) || isTestFile(file.path.slice(pkg.dir.length + 1))) return;
  for (const { what, line } of findOwnLocationUses(file.text)) {
    const where = `${file.path}:${line}`;
    checker.violations.push({
      rule: 'own-file-read',
      where,
      message: `${where} uses ${what}, but runtime code of ${name} may not locate its own files: a bundled app carries none of them (docs/bundling.md). Compile the data in at build time (as @kgo/rest's scripts/write-version.ts does for its version), or take it from the caller.`,
    });
  }
}

/**
 * Checks a workspace against the layering policy: package.json edges (allowed layers, test-only
 * and private packages, `workspace:` ranges, no cycles) and every import in the sources (no
 * relative reach into a sibling, every bare import declared, devDependencies only from tests, no
 * runtime code that locates its own files).
 */
export function checkWorkspace(packages: readonly WorkspacePackage[], policy: LayerPolicy = KGO_POLICY): CheckResult {
  const checker = createChecker(packages, policy);
  const graph = checkManifests(checker);
  let files = 0;
  let imports = 0;
  for (const pkg of packages) {
    for (const file of pkg.files) {
      files++;
      for (const { specifier, line } of findImports(file.text)) {
        imports++;
        const problem = importProblem(checker, pkg, file, specifier);
        if (!problem) continue;
        const where = `${file.path}:${line}`;
        checker.violations.push({ rule: problem[0], where, message: `${where} imports '${specifier}', but ${problem[1]}` });
      }
      checkOwnFileReads(checker, pkg, file);
    }
  }
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
  return { violations: checker.violations, packages: packages.length, edges, files, imports };
}

/**
 * Finds the cycles of a directed graph, each as a path that starts and ends at the same node
 * (`a → b → a`). Every cycle closed by a DFS back edge is reported once.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string) => {
    seen.add(node);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!seen.has(next)) visit(next);
      else if (!done.has(next)) cycles.push([...stack.slice(stack.indexOf(next)), next]);
    }
    stack.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) if (!seen.has(node)) visit(node);
  return cycles;
}

/** Formats a violation as one line for the terminal. */
export function formatViolation(violation: Violation): string {
  return `✗ [${violation.rule}] ${violation.message.startsWith(violation.where) ? '' : `${violation.where}: `}${violation.message}`;
}

/**
 * One @kgo/rest per app (docs/architecture.md): the layers take @kgo/rest as a peer dependency,
 * so an app whose layers were released against different @kgo/rest versions still installs one
 * copy, the one it chose. Proven from packed tarballs, as in the consumer check: @kgo/rest at its
 * version and at a bumped one (a temp copy), @kgo/kubeconfig as packed (peer ^<version>) and
 * @kgo/discovery as released later (peer ^<bumped>), installed with npm outside the workspace.
 * The app project is installed twice, as the consumer check does: with the third-party runtime
 * dependencies at the newest and at the lowest versions their ranges admit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { testCluster } from '@kgo/envtest/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  copiesOf,
  describeInstall,
  installedDir,
  installedVersions,
  installProject,
  type Manifest,
  npmCommand,
  pack,
  packEdited,
  type Publishable,
  publishablePackages,
  RANGE_ENDS,
  type RangeEnd,
  run,
  runtimeDependencies,
  TempDirs,
  versionsAt,
} from './test/consumer-project.ts';

const cluster = testCluster();
const packages = publishablePackages();
const named = (name: string): Publishable => {
  const pkg = packages.find((candidate) => candidate.name === name);
  if (!pkg) throw new Error(`${name} is not a publishable package of this workspace`);
  return pkg;
};
const rest = named('@kgo/rest');
const kubeconfig = named('@kgo/kubeconfig');
const discovery = named('@kgo/discovery');

/** `1.2.3` → `1.2.4`: a release inside the caret range of the current one. */
function nextPatch(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`@kgo/rest has version ${version}, which is not semver`);
  return `${match[1]}.${match[2]}.${Number(match[3]) + 1}`;
}
const bumped = nextPatch(rest.manifest.version);

/** What a build of @kgo/rest at `bumped` writes: the version compiled into dist. */
function compileInBumpedVersion(copyDir: string): void {
  const file = join(copyDir, 'dist', 'version.js');
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(`VERSION = '${rest.manifest.version}'`, `VERSION = '${bumped}'`);
  if (rewritten === text) throw new Error(`${file} does not hold VERSION = '${rest.manifest.version}': rebuild @kgo/rest.`);
  writeFileSync(file, rewritten);
}

interface Setup {
  /** The app project (kubeconfig, discovery and the bumped @kgo/rest), at each end of the third-party ranges. */
  apps: Record<RangeEnd, string>;
  /** `name → version` of each third-party runtime dependency at each end of its ranges, from the registry. */
  expected: Record<RangeEnd, Record<string, string>>;
  /** `name → versions` of each third-party runtime dependency as installed in each app project, every copy. */
  installed: Record<RangeEnd, Map<string, string[]>>;
  tarballs: { restOld: string; restNew: string; kubeconfig: string; discovery: string };
}

const temp = new TempDirs();
let setup: Promise<Setup> | undefined;

async function setUp(): Promise<Setup> {
  assertBuilt([rest, kubeconfig, discovery]);
  const packDir = temp.make('kgo-pack-');
  const [restOld, restNew, kubeconfigTarball, discoveryTarball] = await Promise.all([
    pack(rest.dir, packDir),
    packEdited(rest, temp, packDir, { manifest: (manifest) => ({ ...manifest, version: bumped }), files: compileInBumpedVersion }),
    pack(kubeconfig.dir, packDir),
    // discovery, released later from a commit where @kgo/rest was at the bumped version.
    packEdited(discovery, temp, packDir, {
      manifest: (manifest) => ({ ...manifest, version: nextPatch(manifest.version), peerDependencies: { ...manifest.peerDependencies, '@kgo/rest': `^${bumped}` } }),
    }),
  ]);
  const tarballs = [kubeconfigTarball, discoveryTarball, restNew];
  const dependencies = runtimeDependencies([rest, kubeconfig, discovery]);
  const names = dependencies.map((dependency) => dependency.name);
  const [newest, lowest] = await Promise.all([versionsAt('newest', dependencies), versionsAt('lowest', dependencies)]);
  const [newestApp, lowestApp] = await Promise.all([installProject(temp, tarballs), installProject(temp, tarballs, { overrides: lowest })]);
  const apps = { newest: newestApp, lowest: lowestApp };
  const installed = { newest: installedVersions(newestApp, names), lowest: installedVersions(lowestApp, names) };
  // Printed, so every CI log says which versions this run checked.
  for (const end of RANGE_ENDS) console.log(describeInstall(`one-rest install (${end})`, installed[end]));
  return { apps, expected: { newest, lowest }, installed, tarballs: { restOld, restNew, kubeconfig: kubeconfigTarball, discovery: discoveryTarball } };
}
const consumer = () => (setup ??= setUp());

afterAll(async () => {
  await setup?.catch(() => undefined);
  temp.removeAll();
});

const manifestIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

describe('one @kgo/rest per app, with layers released against different @kgo/rest versions', () => {
  it('the layers publish @kgo/rest as a peer dependency with a caret range, never as a dependency', async () => {
    const { newest: app } = (await consumer()).apps;
    const kubeconfigManifest = manifestIn(installedDir(app, '@kgo/kubeconfig'));
    const discoveryManifest = manifestIn(installedDir(app, '@kgo/discovery'));
    expect(kubeconfigManifest.peerDependencies?.['@kgo/rest']).toBe(`^${rest.manifest.version}`);
    expect(discoveryManifest.peerDependencies?.['@kgo/rest']).toBe(`^${bumped}`);
    for (const manifest of [kubeconfigManifest, discoveryManifest]) {
      expect(manifest.dependencies?.['@kgo/rest'], `${manifest.name} lists @kgo/rest as a dependency`).toBeUndefined();
    }
  });

  it('a @kgo/rest outside a layer\'s peer range is a conflict at install, not a second copy at run time', async () => {
    const { tarballs } = await consumer();
    const attempt = installProject(temp, [tarballs.kubeconfig, tarballs.discovery, tarballs.restOld]);
    await expect(attempt).rejects.toThrow(/ERESOLVE/);
    await expect(attempt).rejects.toThrow(`@kgo/rest@"^${bumped}"`);
  });
});

describe.each(RANGE_ENDS)('one @kgo/rest per app, in an app whose third-party runtime dependencies are at their %s versions', (end) => {
  it(`installs each runtime dependency once, at the ${end} version its ranges admit`, async () => {
    const { expected, installed } = await consumer();
    for (const [name, version] of Object.entries(expected[end])) expect(installed[end].get(name), name).toEqual([version]);
  });

  it('npm installs exactly one @kgo/rest, the version the app chose, and both layers resolve to it', async () => {
    const app = (await consumer()).apps[end];
    const top = installedDir(app, '@kgo/rest');
    expect(copiesOf(app, '@kgo/rest')).toEqual([top]);
    expect(manifestIn(top).version).toBe(bumped);
    for (const layer of ['@kgo/kubeconfig', '@kgo/discovery']) {
      const resolved = createRequire(join(installedDir(app, layer), 'package.json')).resolve('@kgo/rest/package.json');
      expect(resolved, `@kgo/rest as ${layer} resolves it`).toBe(join(top, 'package.json'));
    }
    await run(npmCommand(), ['ls', '--all'], app); // exits non-zero on a missing or unmet peer
  });

  it("a client from kubeconfig's config works under discovery, and errors raised under either layer are the app's @kgo/rest classes", async () => {
    const app = (await consumer()).apps[end];
    const execKubeconfig = join(app, 'exec-kubeconfig.json');
    // A user whose credential plugin is not installed: kubeconfig's exec provider fails under discovery's request.
    const execConfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'envtest', cluster: { server: cluster.server, 'certificate-authority-data': Buffer.from(cluster.caCert).toString('base64') } }],
      users: [{ name: 'plugin-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kgo-no-such-credential-plugin', interactiveMode: 'Never' } } }],
      contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'plugin-user' } }],
      'current-context': 'envtest',
    };
    writeFileSync(execKubeconfig, JSON.stringify(execConfig));
    const script = join(app, 'two-layers.mjs');
    writeFileSync(script, readFileSync(new URL('./test/apps/two-layers.mjs', import.meta.url)));

    const report = JSON.parse(await run(process.execPath, [script, cluster.adminKubeconfig, execKubeconfig], app)) as {
      restVersion: string;
      gitVersion: string;
      badToken: { name: string; instanceOf: boolean; isInstance: boolean; unauthorized: boolean };
      plugin: { name: string; instanceOf: boolean; isInstance: boolean; message: string };
    };
    expect(report.restVersion).toBe(bumped); // the app's choice is what runs, under both layers
    expect(report.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    if (cluster.gitVersion) expect(report.gitVersion).toBe(cluster.gitVersion);
    expect(report.badToken).toEqual({ name: 'StatusError', instanceOf: true, isInstance: true, unauthorized: true });
    expect(report.plugin).toMatchObject({ instanceOf: true, isInstance: true });
    expect(report.plugin.message).toContain('kgo-no-such-credential-plugin');
  });
});

/**
 * One @kgo/rest per app (docs/architecture.md): the layers take @kgo/rest as a peer dependency,
 * so an app whose layers were released against different @kgo/rest versions still installs one
 * copy, the one it chose. Proven from packed tarballs, as in the consumer check: @kgo/rest at its
 * version and at a bumped one (a temp copy), @kgo/kubeconfig as packed (peer ^<version>) and
 * @kgo/discovery as released later (peer ^<bumped>), installed with npm outside the workspace.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { testCluster } from '@kgo/envtest/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  installedDir,
  installProject,
  type Manifest,
  npmCommand,
  pack,
  packEdited,
  type Publishable,
  publishablePackages,
  run,
  TempDirs,
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
  /** The app project: kubeconfig, discovery and the bumped @kgo/rest. */
  app: string;
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
  const app = await installProject(temp, [kubeconfigTarball, discoveryTarball, restNew]);
  return { app, tarballs: { restOld, restNew, kubeconfig: kubeconfigTarball, discovery: discoveryTarball } };
}
const consumer = () => (setup ??= setUp());

afterAll(async () => {
  await setup?.catch(() => undefined);
  temp.removeAll();
});

/** Every installed copy of a package under a project's node_modules, nested ones included. */
function copiesOf(project: string, name: string): string[] {
  return readdirSync(join(project, 'node_modules'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && join(entry.parentPath, entry.name).endsWith(join('node_modules', ...name.split('/'))))
    .map((entry) => join(entry.parentPath, entry.name));
}
const manifestIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

describe('one @kgo/rest per app, with layers released against different @kgo/rest versions', () => {
  it('the layers publish @kgo/rest as a peer dependency with a caret range, never as a dependency', async () => {
    const { app } = await consumer();
    const kubeconfigManifest = manifestIn(installedDir(app, '@kgo/kubeconfig'));
    const discoveryManifest = manifestIn(installedDir(app, '@kgo/discovery'));
    expect(kubeconfigManifest.peerDependencies?.['@kgo/rest']).toBe(`^${rest.manifest.version}`);
    expect(discoveryManifest.peerDependencies?.['@kgo/rest']).toBe(`^${bumped}`);
    for (const manifest of [kubeconfigManifest, discoveryManifest]) {
      expect(manifest.dependencies?.['@kgo/rest'], `${manifest.name} lists @kgo/rest as a dependency`).toBeUndefined();
    }
  });

  it('npm installs exactly one @kgo/rest, the version the app chose, and both layers resolve to it', async () => {
    const { app } = await consumer();
    const top = installedDir(app, '@kgo/rest');
    expect(copiesOf(app, '@kgo/rest')).toEqual([top]);
    expect(manifestIn(top).version).toBe(bumped);
    for (const layer of ['@kgo/kubeconfig', '@kgo/discovery']) {
      const resolved = createRequire(join(installedDir(app, layer), 'package.json')).resolve('@kgo/rest/package.json');
      expect(resolved, `@kgo/rest as ${layer} resolves it`).toBe(join(top, 'package.json'));
    }
    await run(npmCommand(), ['ls', '--all'], app); // exits non-zero on a missing or unmet peer
  });

  it('a @kgo/rest outside a layer\'s peer range is a conflict at install, not a second copy at run time', async () => {
    const { tarballs } = await consumer();
    const attempt = installProject(temp, [tarballs.kubeconfig, tarballs.discovery, tarballs.restOld]);
    await expect(attempt).rejects.toThrow(/ERESOLVE/);
    await expect(attempt).rejects.toThrow(`@kgo/rest@"^${bumped}"`);
  });

  it("a client from kubeconfig's config works under discovery, and errors raised under either layer are the app's @kgo/rest classes", async () => {
    const { app } = await consumer();
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

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryCacheDir, kwokCacheDir, resolveBinaries } from './binaries.ts';
import { prepareKwokSource } from './kwok-patches.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kgo-envtest-binaries-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('resolveBinaries', () => {
  it('takes KUBEBUILDER_ASSETS as it is, and names a missing binary and the fix', async () => {
    await writeFile(join(dir, 'kube-apiserver'), '#!/bin/sh\n', { mode: 0o755 });
    await expect(resolveBinaries({ assetsDir: dir })).rejects.toThrow(
      `KUBEBUILDER_ASSETS is ${dir}, but ${join(dir, 'etcd')} is missing or not executable. Point KUBEBUILDER_ASSETS at a folder holding kube-apiserver and etcd`,
    );
    await writeFile(join(dir, 'etcd'), '#!/bin/sh\n', { mode: 0o755 });
    expect(await resolveBinaries({ assetsDir: dir })).toEqual({ kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd'), source: 'assets' });
  });

  it('keys the cache by the pinned versions', () => {
    expect(binaryCacheDir('/c')).toBe(`/c/${KUBERNETES_VERSION}-etcd${ETCD_VERSION}`);
  });

  it('says how to get binaries when the cache is empty and building is off', async () => {
    await expect(resolveBinaries({ assetsDir: '', cacheDir: dir, build: false })).rejects.toThrow(/No control-plane binaries in .*Run `kgo-envtest build` \(needs Go\), or set KUBEBUILDER_ASSETS/);
  });

  it('says exactly what to install when there is no Go to build with', async () => {
    await expect(resolveBinaries({ assetsDir: '', cacheDir: dir, go: join(dir, 'no-go-here') })).rejects.toThrow(
      `Install Go >= 1.26 (it builds kube-apiserver ${KUBERNETES_VERSION} and etcd ${ETCD_VERSION} — and for clusters with nodes kube-controller-manager, kube-scheduler and kwok ${KWOK_VERSION} — from the Go module proxy once), or set KUBEBUILDER_ASSETS`,
    );
  });
});

describe('resolveBinaries for clusters with nodes', () => {
  const executable = (path: string) => writeFile(path, '#!/bin/sh\n', { mode: 0o755 });

  it('takes kube-controller-manager and kube-scheduler from KUBEBUILDER_ASSETS when it has them, kwok always from the cache', async () => {
    const assets = join(dir, 'assets');
    const cache = join(dir, 'cache');
    await mkdir(assets);
    for (const name of ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']) await executable(join(assets, name));
    const kwokDir = kwokCacheDir(cache);
    await mkdir(join(kwokDir, 'crds'), { recursive: true });
    await executable(join(kwokDir, 'kwok'));
    await writeFile(join(kwokDir, 'stages.yaml'), '');
    for (const file of ['kwok.x-k8s.io_execs.yaml', 'kwok.x-k8s.io_attaches.yaml', 'kwok.x-k8s.io_logs.yaml', 'kwok.x-k8s.io_portforwards.yaml']) {
      await writeFile(join(kwokDir, 'crds', file), '');
    }
    const binaries = await resolveBinaries({ assetsDir: assets, cacheDir: cache, nodes: true, build: false });
    expect(binaries.nodes).toEqual({
      kubeControllerManager: join(assets, 'kube-controller-manager'),
      kubeScheduler: join(assets, 'kube-scheduler'),
      kwok: join(kwokDir, 'kwok'),
      kwokStages: join(kwokDir, 'stages.yaml'),
      kwokCrds: join(kwokDir, 'crds'),
      source: 'assets',
    });
    // Without nodes, nothing about them is looked up or returned.
    expect((await resolveBinaries({ assetsDir: assets, cacheDir: cache, build: false })).nodes).toBeUndefined();
  });

  it('names every missing node binary and the command that builds them when building is off', async () => {
    const cacheDir = binaryCacheDir(dir);
    await mkdir(cacheDir, { recursive: true });
    for (const name of ['kube-apiserver', 'etcd']) await executable(join(cacheDir, name));
    await expect(resolveBinaries({ assetsDir: '', cacheDir: dir, nodes: true, build: false })).rejects.toThrow(
      `No kube-controller-manager, kube-scheduler, kwok in ${cacheDir}. Run \`kgo-envtest build --nodes\` (needs Go), or set KUBEBUILDER_ASSETS.`,
    );
  });
});

describe('prepareKwokSource', () => {
  const original = '\t\t\tgo func() {\n\t\t\t\t_, _ = io.Copy(inPipe, opt.In)\n\t\t\t}()';

  it('copies the module, writable, and closes the exec stdin pipe once the copy ends', async () => {
    const module = join(dir, 'module');
    await mkdir(join(module, 'pkg', 'utils', 'exec'), { recursive: true });
    await writeFile(join(module, 'go.mod'), 'module sigs.k8s.io/kwok\n', { mode: 0o444 });
    await writeFile(join(module, 'pkg', 'utils', 'exec', 'exec.go'), `package exec\n${original}\n`, { mode: 0o444 });
    await prepareKwokSource(module, join(dir, 'copy'));
    expect(await readFile(join(dir, 'copy', 'pkg', 'utils', 'exec', 'exec.go'), 'utf8')).toBe(
      'package exec\n\t\t\tgo func() {\n\t\t\t\t_, _ = io.Copy(inPipe, opt.In)\n\t\t\t\t_ = inPipe.Close()\n\t\t\t}()\n',
    );
    expect(await readFile(join(dir, 'copy', 'go.mod'), 'utf8')).toBe('module sigs.k8s.io/kwok\n');
    expect(await readFile(join(module, 'pkg', 'utils', 'exec', 'exec.go'), 'utf8')).toBe(`package exec\n${original}\n`);
  });

  it('refuses, naming the file, when kwok no longer reads as expected', async () => {
    const module = join(dir, 'module');
    await mkdir(join(module, 'pkg', 'utils', 'exec'), { recursive: true });
    await writeFile(join(module, 'pkg', 'utils', 'exec', 'exec.go'), 'package exec\n');
    await expect(prepareKwokSource(module, join(dir, 'copy'))).rejects.toThrow(
      `kwok v${KWOK_VERSION}'s pkg/utils/exec/exec.go does not read as envtest expects (close the process stdin when the client closes its stdin): the text to patch is missing in ${join(module, 'pkg', 'utils', 'exec', 'exec.go')}.`,
    );
  });
});

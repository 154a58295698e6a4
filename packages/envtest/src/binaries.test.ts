import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryCacheDir, resolveBinaries } from './binaries.ts';
import { ETCD_VERSION, KUBERNETES_VERSION } from './versions.ts';

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
      `Install Go >= 1.26 (it builds kube-apiserver ${KUBERNETES_VERSION} and etcd ${ETCD_VERSION} from the Go module proxy once), or set KUBEBUILDER_ASSETS`,
    );
  });
});

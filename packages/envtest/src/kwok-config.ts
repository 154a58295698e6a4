import { readFile, writeFile } from 'node:fs/promises';

/** kwok's per-pod kinds envtest serves as CRDs (`--enable-crds`), so a test can point one pod at a local port or log file. */
export const KWOK_CRD_KINDS = ['Exec', 'Attach', 'Logs', 'PortForward'] as const;

/** The CRD files of {@link KWOK_CRD_KINDS} in the kwok module (`kustomize/crd/bases/`). */
export const KWOK_CRD_FILES = ['kwok.x-k8s.io_execs.yaml', 'kwok.x-k8s.io_attaches.yaml', 'kwok.x-k8s.io_logs.yaml', 'kwok.x-k8s.io_portforwards.yaml'];

/** Options of {@link writeKwokConfig}. */
export interface KwokConfigOptions {
  /** kwok's default stages (the `stages.yaml` envtest copies out of the kwok module). */
  stagesFile: string;
  /** The folder every `kubectl exec` runs in: commands run as local processes of the test's user. */
  execWorkDir: string;
}

/**
 * Writes the configuration envtest starts kwok with: kwok's own default stages (nodes become
 * Ready and keep a lease; pods go Running and Ready with an IP, Jobs' pods complete, deleted pods
 * go away) and one `ClusterExec` that runs every exec as a local process in `execWorkDir`. The
 * per-pod kinds (`Exec`, `Attach`, `Logs`, `PortForward`) are served as CRDs instead, so a test
 * points one pod at its own port or log file while the cluster runs.
 */
export async function writeKwokConfig(path: string, options: KwokConfigOptions): Promise<string> {
  const stages = await readFile(options.stagesFile, 'utf8');
  // JSON is YAML: no YAML writer needed for envtest's own document.
  const clusterExec = JSON.stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterExec',
    metadata: { name: 'kgo-envtest-local' },
    spec: { execs: [{ local: { workDir: options.execWorkDir } }] },
  });
  await writeFile(path, `${stages.trimEnd()}\n---\n${clusterExec}\n`);
  return path;
}

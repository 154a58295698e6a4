/*
 * Dumps the OpenAPI v3 documents of the pinned kube-apiserver into openapi/: the input of
 * generate.ts. Run by hand when the pinned Kubernetes version changes:
 *
 *   node --conditions=@kgo/source scripts/dump-openapi.ts
 *
 * It starts an envtest control plane, reads /openapi/v3 and every group-version document it
 * lists, and writes them with sorted keys, so the same server always gives the same files.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KUBERNETES_VERSION, restConfigFor, startControlPlane, describeControlPlane } from '@kgo/envtest';
import { RestClient } from '@kgo/rest';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'openapi');

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
  }
  return value;
}

const plane = await startControlPlane({ log: (line) => console.error(`[envtest] ${line}`) });
try {
  const client = new RestClient(restConfigFor(describeControlPlane(plane)));
  const index = await client.get().absPath('/openapi/v3').do().into<{ paths: Record<string, { serverRelativeURL: string }> }>();
  await rm(out, { recursive: true, force: true });
  const written: string[] = [];
  for (const path of Object.keys(index.paths).sort()) {
    // Only the API group-versions: `api/v1`, `apis/<group>/<version>`; not `.well-known`, `logs`, `version`.
    if (!/^(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path)) continue;
    const document = await client.get().absPath(`/openapi/v3/${path}`).do().into<Record<string, unknown>>();
    const file = join(out, `${path}.json`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(sorted(document), null, 1)}\n`);
    written.push(path);
  }
  await writeFile(
    join(out, 'source.json'),
    `${JSON.stringify({ kubernetes: KUBERNETES_VERSION, gitVersion: plane.gitVersion, groupVersions: written }, null, 2)}\n`,
  );
  console.error(`wrote ${written.length} group-version documents from ${plane.gitVersion} to ${out}`);
  await client.close();
} finally {
  await plane.stop();
}

import { isAlreadyExists, isNotFound, RestClient, type RestConfig } from '@kgo/rest';
import { type CustomResourceDefinition, FIXTURE_LABEL } from './crd-fixtures.ts';

/** Options of {@link installCrdFixtures}. */
export interface InstallOptions {
  /** Give up waiting for Established and for discovery after this long (default 90 s). */
  timeoutMs?: number;
  /** Poll interval while waiting (default 250 ms). */
  intervalMs?: number;
}

interface CrdStatus {
  metadata: { name: string; resourceVersion?: string; deletionTimestamp?: string };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const clientFor = (target: RestConfig | RestClient) => (target instanceof RestClient ? target : new RestClient(target));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll(what: string, timeoutMs: number, intervalMs: number, check: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = await check();
    if (missing === undefined) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${missing}`);
    await sleep(intervalMs);
  }
}

/**
 * Creates the CRDs (an existing one is replaced; one still being deleted is awaited and made
 * again), waits until each is `Established` with
 * `NamesAccepted`, then until aggregated discovery lists every served version's resource — so a
 * test that reads discovery right after sees all of them. Bounded in time.
 */
export async function installCrdFixtures(target: RestConfig | RestClient, crds: readonly CustomResourceDefinition[], options: InstallOptions = {}): Promise<void> {
  const client = clientFor(target);
  const timeoutMs = options.timeoutMs ?? 90_000;
  const intervalMs = options.intervalMs ?? 250;
  const create = async (crd: CustomResourceDefinition): Promise<void> => {
    try {
      await client.post().absPath(CRD_PATH).body(crd).do();
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = (await client.get().absPath(CRD_PATH, crd.metadata.name).do()).into<CrdStatus>();
      if (current.metadata.deletionTimestamp) {
        // Still being deleted (a previous run's clean-up): wait until it is gone, then create.
        await poll(`CRD ${crd.metadata.name} to finish deleting`, timeoutMs, intervalMs, async () => {
          const gone = await client.get().absPath(CRD_PATH, crd.metadata.name).do().then(() => false, (e: unknown) => isNotFound(e));
          return gone ? undefined : 'still there';
        });
        await create(crd);
        return;
      }
      await client.put().absPath(CRD_PATH, crd.metadata.name).body({ ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata.resourceVersion } }).do();
    }
  };
  await Promise.all(crds.map(create));
  const names = new Set(crds.map((crd) => crd.metadata.name));
  await poll('CRDs to be Established', timeoutMs, intervalMs, async () => {
    const list = (await client.get().absPath(CRD_PATH).do()).into<{ items: CrdStatus[] }>();
    const ready = new Set(
      list.items
        .filter((item) => ['Established', 'NamesAccepted'].every((type) => item.status?.conditions?.some((c) => c.type === type && c.status === 'True')))
        .map((item) => item.metadata.name),
    );
    const pending = [...names].filter((name) => !ready.has(name));
    return pending.length === 0 ? undefined : `${pending.length} not ready (${pending.slice(0, 3).join(', ')}...)`;
  });
  await poll('discovery to list the CRDs', timeoutMs, intervalMs, async () => {
    const document = (await client.get().absPath('/apis').setHeader('accept', `${AGGREGATED},application/json`).do()).into<{
      items?: { metadata?: { name?: string }; versions?: { version: string; resources?: { resource: string }[] }[] }[];
    }>();
    const listed = new Set<string>();
    for (const group of document.items ?? []) {
      for (const version of group.versions ?? []) {
        for (const resource of version.resources ?? []) listed.add(`${resource.resource}.${group.metadata?.name}/${version.version}`);
      }
    }
    const missing = crds.flatMap((crd) =>
      crd.spec.versions.filter((v) => v.served).map((v) => `${crd.spec.names.plural}.${crd.spec.group}/${v.name}`).filter((key) => !listed.has(key)),
    );
    return missing.length === 0 ? undefined : `${missing.length} missing (${missing.slice(0, 3).join(', ')}...)`;
  });
}

/**
 * Deletes every CRD labelled with the suite token (one DELETE collection request) and, when
 * `wait` is set, waits until they are gone.
 */
export async function deleteCrdFixtures(target: RestConfig | RestClient, suite: string, options: InstallOptions & { wait?: boolean } = {}): Promise<void> {
  const client = clientFor(target);
  const selector = `${FIXTURE_LABEL}=${suite}`;
  await client.delete().absPath(CRD_PATH).param('labelSelector', selector).do();
  if (!options.wait) return;
  await poll(`CRDs of suite ${suite} to be deleted`, options.timeoutMs ?? 90_000, options.intervalMs ?? 250, async () => {
    const list = (await client.get().absPath(CRD_PATH).param('labelSelector', selector).do()).into<{ items: CrdStatus[] }>();
    return list.items.length === 0 ? undefined : `${list.items.length} left`;
  });
}

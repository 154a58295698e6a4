/*
 * Reliability suite 1 (issue #14): reads and writes through ~5 % mixed faults against the real
 * API server, through @kgo/envtest's FaultProxy (every fault kind injected).
 *
 * - GETs: every read succeeds, except one whose last attempt met a 429/500/503 *without* Retry-After:
 *   client-go does not retry those (the server did not say it is safe), so neither does kgo; each
 *   such call must fail with that StatusError, and no other failure is allowed.
 * - creates (generateName, so a replayed POST would make a second object): no object twice on the
 *   server; every call either resolves (and the object is there) or rejects with a typed error;
 *   objects on the server = successes + the POSTs the server applied whose response was lost
 *   (reset-after-forward, stall, truncated body), as the proxy recorded them. Creates run one at
 *   a time so that a reset hits one request only and the count is exact.
 *
 * Sizes: KGO_RELIABILITY_GETS / KGO_RELIABILITY_CREATES (full: 10000 / 2000); CI default 1000 / 200.
 * A failure prints the seed: KGO_FAULT_SEED=<seed> replays the fault sequence.
 */
import { FAULT_KINDS, FaultProxy, spreadRates } from '@kgo/envtest';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KgoError } from './errors/kgo-error.ts';
import { StatusError } from './errors/status-error.ts';
import { RestClient } from './rest-client.ts';

const GETS = Number(process.env.KGO_RELIABILITY_GETS ?? 1000);
const CREATES = Number(process.env.KGO_RELIABILITY_CREATES ?? 200);
const FAULT_RATE = 0.05;
const GET_CONCURRENCY = 16;
const core = { groupVersion: { group: '', version: 'v1' } };

interface ConfigMap {
  metadata: { name: string; labels?: Record<string, string> };
}

const cluster = testCluster();
const namespace = uniqueNamespace('kgo-reliability');
const admin = new RestClient(restConfigFor(cluster), core);
let proxy: FaultProxy;
let client: RestClient;

beforeAll(async () => {
  proxy = await FaultProxy.start(cluster, { stallMs: 300, slowBody: { chunkBytes: 256, delayMs: 5 }, retryAfterSeconds: 1 });
  client = new RestClient(proxy.restConfig(), core);
  await admin.post().resource('namespaces').body({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).do();
  for (let i = 0; i < 10; i++) {
    await admin.post().namespace(namespace).resource('configmaps').body({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `read-${i}` }, data: { i: String(i), pad: 'x'.repeat(2000) } }).do();
  }
});

afterAll(async () => {
  await admin.delete().resource('namespaces').name(namespace).do().catch(() => undefined);
  await client?.close();
  await admin.close();
  await proxy?.close();
});

/** Runs `task(i)` for i in [0, n) with at most `width` at a time. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

const tally = (kinds: (string | undefined)[]) => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, kinds.filter((k) => k === kind).length]));

describe(`reliability through ${FAULT_RATE * 100} % faults (seeded FaultProxy)`, () => {
  it(`${GETS} GETs: every read succeeds but those ended by a 429/500/503 without Retry-After (not retried, as client-go)`, { timeout: 600_000 }, async () => {
    proxy.setRates(spreadRates(FAULT_RATE));
    proxy.injectNext(...FAULT_KINDS); // every kind at least once, however small the run
    const first = proxy.requests.length;
    const started = performance.now();
    const failures: { i: number; error: unknown }[] = [];
    let ok = 0;
    await pool(GETS, GET_CONCURRENCY, async (i) => {
      try {
        const cm = (await client.get().namespace(namespace).resource('configmaps').name(`read-${i % 10}`).do()).into<ConfigMap & { data: { i: string } }>();
        expect(cm.data.i).toBe(String(i % 10));
        ok++;
      } catch (error) {
        failures.push({ i, error });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    proxy.setRates({});
    const records = proxy.requests.slice(first);
    const injected = tally(records.map((r) => r.fault));
    const unretried = records.filter((r) => r.fault === '429' || r.fault === '500' || r.fault === '503').length;
    console.log(
      `[suite 1] ${GETS} GETs (concurrency ${GET_CONCURRENCY}) in ${seconds.toFixed(1)} s: ${ok} ok, ${failures.length} failed (429/500/503 without Retry-After: ${unretried}); ` +
        `${records.length} requests on the wire = ${records.length - GETS} retries; faults ${JSON.stringify(injected)}; seed ${proxy.seed}`,
    );
    const context = proxy.describe();
    for (const kind of FAULT_KINDS) expect(injected[kind], `${kind} never injected; ${context}`).toBeGreaterThan(0);
    const unexpected = failures.filter(({ error }) => !(StatusError.isInstance(error) && [429, 500, 503].includes(error.code) && /^fault proxy: injected (429|500|503)$/.test(error.status.message ?? '')));
    expect(unexpected.map(({ i, error }) => `GET #${i}: ${String(error)}`), context).toEqual([]);
    // At most one failure per such fault: a 429/500/503 sent on a connection another fault reset never reached the client.
    expect(failures.length, context).toBeLessThanOrEqual(unretried);
    expect(ok + failures.length).toBe(GETS);
  });

  it(`${CREATES} creates: no object twice, every failure reported, the server holds successes + applied-but-lost`, { timeout: 600_000 }, async () => {
    const run = Math.random().toString(36).slice(2, 8);
    proxy.setRates(spreadRates(FAULT_RATE));
    proxy.injectNext(...FAULT_KINDS);
    const first = proxy.requests.length;
    const started = performance.now();
    const succeeded = new Map<number, string>();
    const failed: { i: number; error: unknown }[] = [];
    for (let i = 0; i < CREATES; i++) {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'create-', labels: { 'kgo-run': run, 'kgo-index': String(i) } }, data: { i: String(i) } };
      try {
        const created = (await client.post().namespace(namespace).resource('configmaps').body(body).do()).into<ConfigMap>();
        succeeded.set(i, created.metadata.name);
      } catch (error) {
        failed.push({ i, error });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    proxy.setRates({});
    const records = proxy.requests.slice(first).filter((r) => r.method === 'POST');
    const appliedButLost = records.filter((r) => r.upstreamStatus === 201 && !r.delivered).length;
    const list = (await admin.get().namespace(namespace).resource('configmaps').param('labelSelector', `kgo-run=${run}`).do()).into<{ items: ConfigMap[] }>();
    const byIndex = new Map<string, string[]>();
    for (const item of list.items) {
      const index = item.metadata.labels?.['kgo-index'] as string;
      byIndex.set(index, [...(byIndex.get(index) ?? []), item.metadata.name]);
    }
    const injected = tally(records.map((r) => r.fault));
    console.log(
      `[suite 1] ${CREATES} creates in ${seconds.toFixed(1)} s: ${succeeded.size} ok, ${failed.length} reported failures, ${appliedButLost} of them applied by the server; ` +
        `${list.items.length} objects on the server; ${records.length} POSTs on the wire = ${records.length - CREATES} retries (429/5xx with Retry-After); faults ${JSON.stringify(injected)}; seed ${proxy.seed}`,
    );
    const context = proxy.describe();
    // Writes meet every kind too (429/5xx with Retry-After retried; the others reported).
    for (const kind of FAULT_KINDS) expect(injected[kind], `${kind} never injected on a write; ${context}`).toBeGreaterThan(0);
    expect([...byIndex].filter(([, names]) => names.length > 1), `duplicates; ${context}`).toEqual([]);
    expect(succeeded.size + failed.length).toBe(CREATES);
    for (const { error } of failed) expect(KgoError.isInstance(error), String(error)).toBe(true);
    for (const [i, name] of succeeded) expect(byIndex.get(String(i)), `create #${i} reported ok but is not on the server; ${context}`).toEqual([name]);
    expect(list.items.length, context).toBe(succeeded.size + appliedButLost);
  });
});

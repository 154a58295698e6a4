/*
 * Reliability suite 5 (issue #14), discovery documents: whatever /api and /apis answer (aggregated
 * v2 or legacy, wrong types at any depth, cut or garbage bodies), the discovery client returns
 * well-typed groups and resources or throws a kgo error (a DecodeError), in bounded time, never a
 * TypeError from deep inside, and never quoting the body: the marker secrets seeded into it never
 * appear in an error. Served by a small local server (a real server never sends these).
 * Fixed seed; KGO_FUZZ_RUNS for more.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MARKER_SECRETS, secretsIn } from '@kgo/envtest';
import { KgoError } from '@kgo/rest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPT_AGGREGATED_V2 } from './aggregated-discovery.ts';
import { DiscoveryClient } from './discovery-client.ts';

const RUNS = Number(process.env.KGO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.KGO_FUZZ_SEED ?? 14);
const secret = fc.constantFrom(...MARKER_SECRETS);
const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }), fc.array(fc.integer(), { maxLength: 2 }));
const either = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: right }, { weight: 1, arbitrary: wrong });
const word = fc.constantFrom('apps', 'batch', 'example.com', 'v1', 'v2', 'pods', 'deployments', '');
const gvk = fc.record({ group: either(word), version: either(word), kind: either(fc.constantFrom('Pod', 'Deployment')) });

const resource = fc.record(
  {
    resource: either(word),
    responseKind: either(gvk),
    scope: either(fc.constantFrom('Cluster', 'Namespaced')),
    singularResource: either(word),
    verbs: either(fc.array(either(fc.constantFrom('get', 'list', 'watch')), { maxLength: 3 })),
    shortNames: either(fc.array(either(secret), { maxLength: 2 })),
    categories: either(fc.array(either(secret), { maxLength: 2 })),
    subresources: either(fc.array(fc.record({ subresource: either(word), responseKind: either(gvk), verbs: either(fc.array(either(word), { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 })),
    storageVersionHash: secret,
  },
  { requiredKeys: [] },
);
const aggregated = fc.record({
  kind: fc.constant('APIGroupDiscoveryList'),
  apiVersion: fc.constant('apidiscovery.k8s.io/v2'),
  items: either(
    fc.array(
      either(
        fc.record(
          {
            metadata: either(fc.record({ name: either(word), annotations: fc.dictionary(fc.string(), secret) }, { requiredKeys: [] })),
            versions: either(fc.array(either(fc.record({ version: either(word), resources: either(fc.array(either(resource), { maxLength: 3 })), freshness: either(fc.constantFrom('Current', 'Stale')) }, { requiredKeys: [] })), { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
      ),
      { maxLength: 3 },
    ),
  ),
});
const legacyApis = fc.record({ kind: fc.constant('APIGroupList'), groups: either(fc.array(either(fc.record({ name: either(word), versions: either(fc.array(either(fc.record({ groupVersion: either(word), version: either(word) })), { maxLength: 2 })), preferredVersion: either(fc.record({ groupVersion: either(word), version: either(word) })) }, { requiredKeys: [] })), { maxLength: 3 })) });
const legacyApi = fc.record({ kind: fc.constant('APIVersions'), versions: either(fc.array(either(word), { maxLength: 2 })), serverAddressByClientCIDRs: fc.array(fc.record({ clientCIDR: secret }), { maxLength: 1 }) });

/** A body: the document, or the document cut short, or garbage around a secret. */
const body = (document: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: document.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: fc.tuple(document, fc.nat()).map(([d, n]) => { const text = JSON.stringify(d); return text.slice(0, n % Math.max(1, text.length)); }) },
    { weight: 1, arbitrary: fc.tuple(fc.string(), secret, fc.string()).map(([a, s, b]) => `${a}${s}${b}`) },
  );
const exchange = fc.oneof(
  fc.record({ legacy: fc.constant(false), api: body(legacyApi), apis: body(aggregated) }),
  fc.record({ legacy: fc.constant(true), api: body(legacyApi), apis: body(legacyApis) }),
);

let server: Server;
let host: string;
let current = { legacy: false, api: '', apis: '' };
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const text = path === '/api' ? current.api : path === '/apis' ? current.apis : undefined;
    if (text === undefined) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    const aggregatedReply = !current.legacy && path === '/apis';
    res.writeHead(200, { 'content-type': aggregatedReply ? ACCEPT_AGGREGATED_V2 : 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const isString = (value: unknown) => typeof value === 'string';

describe(`discovery documents, fuzzed (${RUNS} runs, seed ${SEED})`, () => {
  it('well-typed groups and resources, or a kgo error quoting no secret', { timeout: 120_000 }, async () => {
    const tally = { results: 0, errors: 0 };
    const client = new DiscoveryClient({ host, qps: -1 });
    await fc.assert(
      fc.asyncProperty(exchange, async (next) => {
        current = next;
        const started = performance.now();
        let result: Awaited<ReturnType<DiscoveryClient['groupsAndMaybeResources']>>;
        try {
          result = await client.groupsAndMaybeResources({ signal: AbortSignal.timeout(5000) });
        } catch (error) {
          tally.errors++;
          expect(KgoError.isInstance(error), String((error as Error)?.stack ?? error)).toBe(true);
          expect(secretsIn(error, MARKER_SECRETS), String(error)).toEqual([]);
          return;
        }
        expect(performance.now() - started).toBeLessThan(5000);
        tally.results++;
        for (const group of result.groups.groups) {
          expect(isString(group.name), JSON.stringify(group)).toBe(true);
          for (const version of group.versions) expect(isString(version.groupVersion) && isString(version.version), JSON.stringify(group)).toBe(true);
        }
        for (const [gv, list] of result.resources ?? new Map()) {
          expect(isString(gv)).toBe(true);
          for (const r of list.resources) expect(isString(r.name) && isString(r.kind) && typeof r.namespaced === 'boolean' && Array.isArray(r.verbs) && r.verbs.every(isString), JSON.stringify(r)).toBe(true);
        }
        for (const error of result.failed?.values() ?? []) expect(secretsIn(error, MARKER_SECRETS)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`[suite 5] discovery: ${tally.results} documents decoded, ${tally.errors} typed errors, none quoting a secret`);
    expect(tally.results).toBeGreaterThan(0);
    expect(tally.errors).toBeGreaterThan(0);
  });
});

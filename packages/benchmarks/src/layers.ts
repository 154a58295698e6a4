/**
 * Where a kgo GET's client CPU goes: the same GET of the small ConfigMap through successively
 * thicker stacks, each measured as client CPU time per request (process.cpuUsage, no profiler
 * running), sequentially and at concurrency 16. Each step's cost is the difference to the row
 * before it.
 *
 *   node --conditions=@kgo/source --expose-gc src/layers.ts    (KGO_TEST_CLUSTER=… to reuse a cluster)
 *
 * With --expose-gc, a full GC runs before each measurement, so one stack's garbage is not
 * collected on the next one's time.
 *
 * 1. undici.request + body.text() + JSON.parse: the raw baseline.
 * 2. + the WHATWG objects kgo's Transport.fetch (transport.ts, 2026-11) handles per call: a global
 *    Request (as ky builds it) taken apart again, undici.request, then a global Headers and
 *    Response built around the body, read back with arrayBuffer() and decoded with TextDecoder.
 * 3. + ky, created with kgo's options, calling the fetch of step 2.
 * 4. kgo's RestClient (+ request builder, authenticator, Result, warnings).
 * Apart from the chain, for reference: npm undici's WHATWG fetch on the same Agent (kgo's
 * transport before it moved to undici.request).
 */
import { Agent, fetch as undiciFetch, request } from 'undici';
import { openCluster } from './cluster.ts';
import { createClient } from './clients/index.ts';
import { createFixtures, GET_NAME, GET_NAMESPACE } from './fixtures.ts';
import { median } from './stats.ts';

type Get = () => Promise<unknown>;

interface KyLike {
  create(options: object): (url: string | URL, options?: object) => Promise<Response>;
}

async function main(): Promise<void> {
  const requests = Number(process.env.KGO_BENCH_LAYER_REQUESTS ?? '2000');
  const rounds = Number(process.env.KGO_BENCH_ROUNDS ?? '3');
  const cluster = await openCluster((line) => console.error(line));
  try {
    const { connection } = cluster;
    await createFixtures(connection, 0, 0, () => {});
    const url = `${connection.server}/api/v1/namespaces/${GET_NAMESPACE}/configmaps/${GET_NAME}`;
    const headers = { accept: 'application/json, */*', 'user-agent': 'kgo-bench' };
    const dispatcher = new Agent({ connect: { ca: connection.caCert, cert: connection.cert, key: connection.key } });
    const kgo = await createClient('kgo-rest', connection);
    const decoder = new TextDecoder();

    const parse = async (response: Response) => JSON.parse(decoder.decode(new Uint8Array(await response.arrayBuffer())));
    // kgo's Transport.fetch reduced to the GET path: take the global Request apart, send it with
    // undici.request, wrap the body in a global Response.
    const wrappedFetch = async (input: Request): Promise<Response> => {
      const target = new URL(input.url);
      const requestHeaders: Record<string, string> = {};
      input.headers.forEach((value, name) => {
        requestHeaders[name] = value;
      });
      const response = await dispatcher.request({ origin: target.origin, path: `${target.pathname}${target.search}`, method: 'GET', headers: requestHeaders, signal: input.signal });
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
        else if (value !== undefined) responseHeaders.append(name, value);
      }
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      return new Response(bytes, { status: response.statusCode, headers: responseHeaders });
    };

    const layers: [string, Get][] = [
      [
        'undici.request + body.text() + JSON.parse (raw)',
        async () => {
          const { body } = await request(url, { dispatcher, headers });
          return JSON.parse(await body.text());
        },
      ],
      [
        '+ global Request taken apart, global Headers + Response rebuilt, arrayBuffer() + TextDecoder',
        async () => parse(await wrappedFetch(new Request(url, { headers, signal: new AbortController().signal }))),
      ],
    ];
    // ky is @kgo/rest's dependency, not this package's: load @kgo/rest's copy.
    const kyUrl = new URL('../node_modules/@kgo/rest/node_modules/ky/distribution/index.js', import.meta.url);
    try {
      const ky = ((await import(kyUrl.href)) as { default: KyLike }).default.create({
        fetch: (input: Request) => wrappedFetch(input),
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
      });
      layers.push(['+ ky (created with kgo\'s options)', async () => parse(await ky(new URL(url), { method: 'GET', headers }))]);
    } catch (error) {
      console.error(`ky not found at ${kyUrl.pathname} (${(error as Error).message}); skipping that row`);
    }
    layers.push(['kgo RestClient (+ builder, authenticator, Result, warnings)', () => kgo.get(GET_NAMESPACE, GET_NAME)]);
    const reference: [string, Get] = [
      'for reference, not in the chain: npm undici fetch + arrayBuffer() + TextDecoder',
      async () => parse((await undiciFetch(url, { dispatcher, headers, redirect: 'manual' })) as unknown as Response),
    ];
    layers.push(reference);

    const run = async (get: Get, concurrency: number, count: number) => {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < count / concurrency; i++) await get();
        }),
      );
    };
    for (const [, get] of layers) await run(get, 16, 500); // warm-up: connections, JIT

    const concurrencies = [1, 16];
    const results = new Map<string, number[][]>(layers.map(([name]) => [name, concurrencies.map(() => [])]));
    for (let round = 0; round < rounds; round++) {
      for (const [c, concurrency] of concurrencies.entries()) {
        for (const [name, get] of layers) {
          (globalThis as { gc?: () => void }).gc?.();
          const cpu = process.cpuUsage();
          await run(get, concurrency, requests);
          const used = process.cpuUsage(cpu);
          results.get(name)?.[c]?.push((used.user + used.system) / requests);
        }
      }
    }
    console.log(`Client CPU per GET, µs (median of ${rounds} rounds of ${requests} requests; "step" is the difference to the row above):\n`);
    console.log(`| Stack | ${concurrencies.map((c) => (c === 1 ? 'sequential | step' : `concurrency ${c} | step`)).join(' | ')} |`);
    console.log(`| --- | ${concurrencies.map(() => '---: | ---:').join(' | ')} |`);
    const previous: (number | undefined)[] = concurrencies.map(() => undefined);
    for (const [name, perConcurrency] of results) {
      const cells = perConcurrency.map((values, c) => {
        const us = median(values);
        const before = name === reference[0] ? undefined : previous[c];
        previous[c] = us;
        return `${us.toFixed(0)} | ${before === undefined ? '' : `${us - before >= 0 ? '+' : ''}${(us - before).toFixed(0)}`}`;
      });
      console.log(`| ${name} | ${cells.join(' | ')} |`);
    }
    await kgo.close();
    await dispatcher.close();
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Where a kgo GET's client CPU goes: the same GET of the small ConfigMap through successively
 * thicker stacks, each measured as client CPU time per request (process.cpuUsage, no profiler
 * running), sequentially and at concurrency 16, in one process against one server. Each step's
 * cost is the difference to the row before it; each row's ratio to raw is taken within a round
 * (same minute, same load), which on a shared machine moves far less than the figures themselves.
 *
 *   node --conditions=@kgo/source --expose-gc src/layers.ts    (KGO_TEST_CLUSTER=… to reuse a cluster)
 *
 * With --expose-gc, a full GC runs before each measurement, so one stack's garbage is not
 * collected on the next one's time. The stacks take turns in a rotating order.
 *
 * 1. undici.request + body.text() + JSON.parse: the raw baseline.
 * 2. + what kgo's transport does around the same call: its dispatcher settings (no body timeout,
 *    HTTP/2 allowed, no connection cap), its request headers (accept, user-agent, gzip), the body
 *    read as bytes and decoded with a TextDecoder.
 * 3. + ky, called as kgo's transport calls it (method and URL; a beforeRequest hook sends the
 *    exchange named in ky's `context` and answers with a Response, whose body is read back).
 * 4. kgo's RestClient (+ request builder, executor, authenticator, Result).
 * Apart from the chain, for reference: npm undici's WHATWG fetch on the raw Agent; and
 * KGO_BENCH_EXTRA=name=/path/to/rest/src/index.ts,… adds kgo RestClients built from other
 * copies of @kgo/rest (e.g. the sources at a branch point), so before and after share a run.
 */
import { pathToFileURL } from 'node:url';
import { Agent, type Dispatcher, fetch as undiciFetch, request } from 'undici';
import { openCluster } from './cluster.ts';
import { createClient } from './clients/index.ts';
import { createKgoClient, type RestModule } from './clients/kgo.ts';
import type { ConfigMap } from './clients/types.ts';
import { createFixtures, GET_NAME, GET_NAMESPACE } from './fixtures.ts';
import { runMain } from './main.ts';
import { median } from './stats.ts';

type Get = () => Promise<unknown>;

interface KyLike {
  create(options: object): (url: string | URL, options?: object) => Promise<unknown>;
}

async function main(): Promise<void> {
  const requests = Number(process.env.KGO_BENCH_LAYER_REQUESTS ?? '2000');
  const rounds = Number(process.env.KGO_BENCH_ROUNDS ?? '5');
  const cluster = await openCluster((line) => console.error(line));
  try {
    const { connection } = cluster;
    await createFixtures(connection, 0, 0, () => {});
    const url = new URL(`${connection.server}/api/v1/namespaces/${GET_NAMESPACE}/configmaps/${GET_NAME}`);
    const connect = { ca: connection.caCert, cert: connection.cert, key: connection.key };
    const dispatcher = new Agent({ connect });
    // kgo's dispatcher settings and request headers (packages/rest/src/transport, executor.ts).
    const kgoDispatcher = new Agent({ connect, bodyTimeout: 0, keepAliveTimeout: 30_000, connections: null, allowH2: true });
    const kgoHeaders = { accept: 'application/json, */*', 'user-agent': 'kgo-bench', 'accept-encoding': 'gzip' };
    const decoder = new TextDecoder();
    const closers: (() => Promise<void>)[] = [() => dispatcher.close(), () => kgoDispatcher.close()];

    // Step 2: the exchange kgo's transport sends, without ky.
    const exchange = async (target: URL): Promise<{ status: number; body: Uint8Array }> => {
      const response = await kgoDispatcher.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'GET' as Dispatcher.HttpMethod,
        headers: kgoHeaders,
      });
      return { status: response.statusCode, body: new Uint8Array(await response.body.arrayBuffer()) };
    };
    const parse = (body: Uint8Array) => JSON.parse(decoder.decode(body)) as ConfigMap;

    const layers: [string, Get][] = [
      [
        'undici.request + body.text() + JSON.parse (raw)',
        async () => {
          const { body } = await request(url, { dispatcher, headers: { accept: 'application/json' } });
          return JSON.parse(await body.text());
        },
      ],
      ["+ kgo's dispatcher settings and headers, body as bytes + TextDecoder", async () => parse((await exchange(url)).body)],
    ];
    // ky is @kgo/rest's dependency, not this package's: load @kgo/rest's copy.
    const kyUrl = new URL('../node_modules/@kgo/rest/node_modules/ky/distribution/index.js', import.meta.url);
    try {
      // As the transport calls ky: a beforeRequest hook sends the exchange named in ky's `context`
      // and answers with a Response (the body as one chunk); the caller reads the body back out.
      const ky = ((await import(kyUrl.href)) as { default: KyLike }).default.create({
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        hooks: {
          beforeRequest: [
            async ({ options }: { options: { context: { target: URL } } }) => {
              const { status, body } = await exchange(options.context.target);
              const stream = new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(body);
                  controller.close();
                },
              });
              return new Response(stream, { status, headers: { 'content-type': 'application/json' } });
            },
          ],
        },
      });
      layers.push(['+ ky, as the transport calls it (method + URL; a beforeRequest hook answers with a Response)', async () => {
        const response = (await ky(url, { method: 'GET', context: { target: url } })) as Response;
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const chunks: Uint8Array[] = [];
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(chunk.value);
        return parse(chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks));
      }]);
    } catch (error) {
      console.error(`ky not found at ${kyUrl.pathname} (${(error as Error).message}); skipping that row`);
    }
    const kgo = await createClient('kgo-rest', connection);
    closers.push(() => kgo.close());
    layers.push(['kgo RestClient (+ builder, executor, authenticator, Result)', () => kgo.get(GET_NAMESPACE, GET_NAME)]);
    const apart = new Set<string>();
    const reference = 'for reference, not in the chain: npm undici fetch + arrayBuffer() + TextDecoder';
    layers.push([reference, async () => parse(new Uint8Array(await (await undiciFetch(url, { dispatcher, headers: kgoHeaders, redirect: 'manual' })).arrayBuffer()))]);
    apart.add(reference);
    for (const entry of (process.env.KGO_BENCH_EXTRA ?? '').split(',').filter(Boolean)) {
      const [name, path] = entry.split('=') as [string, string];
      const client = await createKgoClient(connection, { rest: (await import(pathToFileURL(path).href)) as RestModule });
      closers.push(() => client.close());
      const label = `kgo RestClient from ${name}`;
      layers.push([label, () => client.get(GET_NAMESPACE, GET_NAME)]);
      apart.add(label);
    }

    const run = async (get: Get, concurrency: number, count: number) => {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < count / concurrency; i++) await get();
        }),
      );
    };
    for (const [, get] of layers) await run(get, 16, 800); // warm-up: connections, JIT

    const concurrencies = [1, 16];
    // results[layer][concurrency]: µs per request, one per round.
    const results = layers.map(() => concurrencies.map((): number[] => []));
    // Time in garbage collection (pauses on the main thread, from V8's gc performance entries).
    const gcResults = layers.map(() => concurrencies.map((): number[] => []));
    let gcMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    for (let round = 0; round < rounds; round++) {
      for (const [c, concurrency] of concurrencies.entries()) {
        for (let k = 0; k < layers.length; k++) {
          const index = (k + round) % layers.length;
          (globalThis as { gc?: () => void }).gc?.();
          // Let the observer see the forced GC's entry before counting from zero.
          await new Promise((resolve) => setImmediate(resolve));
          gcMs = 0;
          const cpu = process.cpuUsage();
          await run((layers[index] as [string, Get])[1], concurrency, requests);
          const used = process.cpuUsage(cpu);
          results[index]?.[c]?.push((used.user + used.system) / requests);
          await new Promise((resolve) => setImmediate(resolve));
          gcResults[index]?.[c]?.push((gcMs * 1000) / requests);
        }
      }
      console.error(`round ${round + 1}/${rounds} done`);
    }
    const range = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
    console.log(
      `Client CPU per GET, µs: median (range) of ${rounds} rounds of ${requests} requests; "step" is the difference to the row above; ` +
        '"/ raw" is the median of the ratios to raw within each round; "GC" is the median time in garbage collection pauses per request\n',
    );
    console.log(`| Stack | ${concurrencies.map((c) => `c=${c} µs | step | / raw | GC µs`).join(' | ')} |`);
    console.log(`| --- | ${concurrencies.map(() => '---: | ---: | ---: | ---:').join(' | ')} |`);
    const previous: (number | undefined)[] = concurrencies.map(() => undefined);
    for (const [index, [name]] of layers.entries()) {
      const cells = concurrencies.map((_, c) => {
        const values = results[index]?.[c] ?? [];
        const raw = results[0]?.[c] ?? [];
        const us = median(values);
        const before = apart.has(name) ? undefined : previous[c];
        if (!apart.has(name)) previous[c] = us;
        const ratios = values.map((value, round) => value / (raw[round] ?? Number.NaN));
        const step = before === undefined ? '' : `${us - before >= 0 ? '+' : ''}${(us - before).toFixed(0)}`;
        const gc = median(gcResults[index]?.[c] ?? []);
        return `${us.toFixed(0)} (${range(values, 0)}) | ${step} | ${median(ratios).toFixed(2)}× (${range(ratios, 2)}) | ${gc.toFixed(0)}`;
      });
      console.log(`| ${name} | ${cells.join(' | ')} |`);
    }
    for (const close of closers) await close();
  } finally {
    await cluster.stop();
  }
}

runMain(main);

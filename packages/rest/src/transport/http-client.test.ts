import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialError } from '../errors/credential-error.ts';
import { DecodeError } from '../errors/decode-error.ts';
import { KgoError } from '../errors/kgo-error.ts';
import { RestClient } from '../rest-client.ts';
import { HttpClient } from './http-client.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { createDeduplicatingWarningHandler, type Warning } from './warnings.ts';

/* The explicit HttpClient: what is shared, what is not, and what close() closes. */

let server: Server;
let host: string;
let seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/empty') return res.writeHead(200, { 'content-type': 'application/json' }).end();
    if (req.url === '/text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'app' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

/** A limiter that counts the tokens taken from it. */
function countingLimiter(): RateLimiter & { taken: number } {
  return {
    taken: 0,
    async acquire() {
      this.taken++;
    },
  };
}

describe('HttpClient sharing', () => {
  it('gives every RestClient made over it one rate-limit budget', async () => {
    const http = new HttpClient({ host, qps: 1, burst: 2 });
    const core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
    const apps = new RestClient(http, { groupVersion: { group: 'apps', version: 'v1' } });
    expect(core.rateLimiter).toBe(apps.rateLimiter);
    expect(core.rateLimiter).toBe(http.rateLimiter);
    // Burst 2 at 1 QPS: the third request, from either client, waits about a second.
    const started = performance.now();
    await core.get().resource('pods').do();
    await apps.get().resource('deployments').do();
    await core.get().resource('pods').do();
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await http.close();
  });

  it('never shares by accident: a spread config, or the same config twice, gets its own budget', () => {
    const config = { host, qps: 1, burst: 1 };
    const first = new RestClient(config);
    expect(new RestClient({ ...config, timeoutMs: 5_000 }).rateLimiter).not.toBe(first.rateLimiter);
    expect(new RestClient(config).rateLimiter).not.toBe(first.rateLimiter);
  });

  it('takes a token for every request of every client made over it', async () => {
    const limiter = countingLimiter();
    const http = new HttpClient({ host, rateLimiter: limiter });
    await new RestClient(http).get().absPath('/a').do();
    await new RestClient(http, { groupVersion: { group: 'apps', version: 'v1' } }).get().resource('deployments').do();
    expect(limiter.taken).toBe(2);
    await http.close();
  });

  it('closes only what a RestClient made: a shared HttpClient stays usable', async () => {
    const http = new HttpClient({ host });
    const shared = new RestClient(http);
    await shared.close();
    await expect(new RestClient(http).get().absPath('/a').do()).resolves.toBeDefined();
    await http.close();
  });

  it('supports await using', async () => {
    let captured: HttpClient | undefined;
    {
      await using http = new HttpClient({ host });
      captured = http;
      await new RestClient(http).get().absPath('/a').do();
    }
    // A closed HttpClient opens a new connection for the next request instead of failing.
    await expect(new RestClient(captured).get().absPath('/a').do()).resolves.toBeDefined();
    await captured.close();
  });
});

describe('tls.insecure', () => {
  it('is warned about once per server by the default handler, and only when set', async () => {
    const lines: string[] = [];
    const warningHandler = createDeduplicatingWarningHandler((line) => lines.push(line));
    const clients = [
      new HttpClient({ host: 'https://10.0.0.1:6443', tls: { insecure: true }, warningHandler }),
      new HttpClient({ host: 'https://10.0.0.1:6443', tls: { insecure: true }, warningHandler }),
      new HttpClient({ host: 'https://10.0.0.1:6443', warningHandler }),
      new HttpClient({ host: 'https://10.0.0.2:6443', tls: { insecure: false }, warningHandler }),
    ];
    await Promise.all(clients.map((client) => client.close()));
    expect(lines).toEqual([
      "Warning: TLS verification is off for 10.0.0.1:6443 (tls.insecure / insecure-skip-tls-verify): the server's identity is not checked, so anyone on the network path can read and change this traffic\n",
    ]);
  });

  it('goes to a custom handler as a 299 warning from agent kgo', async () => {
    const seen: Warning[] = [];
    const client = new HttpClient({ host: 'https://[::1]:6443', tls: { insecure: true }, warningHandler: (warning) => seen.push(warning) });
    await client.close();
    expect(seen).toEqual([{ code: 299, agent: 'kgo', text: expect.stringMatching(/^TLS verification is off for \[::1\]:6443 /) }]);
  });
});

describe('do() as a ResponsePromise', () => {
  const client = () => new RestClient({ host });

  it('decodes in one line with into(), text() and raw()', async () => {
    expect(await client().get().absPath('/cm').do().into<{ metadata: { name: string } }>()).toEqual({ kind: 'ConfigMap', metadata: { name: 'app' } });
    expect(await client().get().absPath('/text').do().text()).toBe('not json');
    expect(new TextDecoder().decode(await client().get().absPath('/text').do().raw())).toBe('not json');
    expect((await client().get().absPath('/cm').do()).statusCode).toBe(200);
  });

  it('rejects an empty or non-JSON body with a DecodeError naming the request', async () => {
    const empty = await client().get().absPath('/empty').do().into().catch((error: unknown) => error);
    expect(DecodeError.isInstance(empty)).toBe(true);
    expect((empty as DecodeError).message).toMatch(new RegExp(`^GET ${host}/empty: 0-length response`));
    const text = await client().get().absPath('/text').do().into().catch((error: unknown) => error);
    expect(DecodeError.isInstance(text)).toBe(true);
    expect((text as DecodeError).request?.url).toBe(`${host}/text`);
    // The body is never quoted: it could be a Secret's data.
    expect((text as DecodeError).message).not.toContain('not json');
    expect((text as DecodeError).cause).toBeUndefined();
  });

  it('rejects (never throws synchronously) on a builder mistake', async () => {
    const promise = client().get().resource('pods').name('a/b').do();
    await expect(promise.into()).rejects.toThrow(/invalid resource name "a\/b"/);
  });
});

describe('toRecipe()', () => {
  it('renders method, URL, headers and body with no I/O', () => {
    const core = new RestClient({ host, timeoutMs: 1500 }, { groupVersion: { group: '', version: 'v1' } });
    const recipe = core.post().namespace('ns').resource('configmaps').params({ fieldManager: 'me' }).body({ kind: 'ConfigMap' }).toRecipe();
    expect(recipe.method).toBe('POST');
    expect(recipe.url.toString()).toBe(`${host}/api/v1/namespaces/ns/configmaps?fieldManager=me&timeout=1.5s`);
    expect(recipe.headers).toEqual({ 'content-type': 'application/json' });
    expect(recipe.body).toBe('{"kind":"ConfigMap"}');
    expect(recipe.timeoutMs).toBe(1500);
    expect(recipe.resource).toBe('configmaps');
    expect(seen).toHaveLength(0);
  });

  it('leaves the config timeout out of watches and streams', () => {
    const core = new RestClient({ host, timeoutMs: 1500 }, { groupVersion: { group: '', version: 'v1' } });
    const recipe = core.get().resource('pods').param('watch', 'true').toRecipe({ longRunning: true });
    expect(recipe.url.search).toBe('?watch=true');
    expect(recipe.timeoutMs).toBeUndefined();
  });

  it('is what HttpClient.do sends', async () => {
    const http = new HttpClient({ host });
    const recipe = new RestClient(http, { groupVersion: { group: 'apps', version: 'v1' } }).get().resource('deployments').toRecipe();
    await http.do(recipe).into();
    expect(seen[0]?.url).toBe('/apis/apps/v1/deployments');
    await http.close();
  });
});

describe('credentials', () => {
  it('passes a kgo error from a credential provider through unchanged', async () => {
    class PluginMissing extends KgoError {}
    const failure = new PluginMissing('exec plugin "my-plugin" not found: install it with brew install my-plugin');
    const client = new RestClient({ host, credentialProvider: { getCredentials: () => Promise.reject(failure) } });
    await expect(client.get().absPath('/a').do()).rejects.toBe(failure);
    expect(seen).toHaveLength(0);
  });

  it('wraps any other provider failure in a CredentialError naming the request', async () => {
    const client = new RestClient({ host, credentialProvider: { getCredentials: () => Promise.reject(new Error('boom')) } });
    const error = await client.get().absPath('/a').do().catch((caught: unknown) => caught);
    expect(CredentialError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(`GET ${host}/a: getting credentials failed: boom`);
  });

  it('refuses a token with a line break when the client is made, without echoing it', () => {
    let message = '';
    try {
      new RestClient({ host, bearerToken: 's3cret\r\nX-Evil: 1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('bearerToken contains a line break');
    expect(message).not.toContain('s3cret');
  });

  it('sends a user name and password with CR, LF or NUL: basic auth base64-encodes them, as client-go does', async () => {
    for (const [username, password] of [
      ['jane', 'pa\r\nss'],
      ['jane', 'pass\0word\n'],
      ['ja\nne', 'p'],
    ]) {
      await new RestClient({ host, username, password }).get().absPath('/a').do();
      expect(seen.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
    }
  });

  it('refuses a provider token with a line break, without echoing it', async () => {
    const client = new RestClient({ host, credentialProvider: { getCredentials: async () => ({ token: 's3cret\nmore' }) } });
    const error = await client.get().absPath('/a').do().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/token from the credential provider .* contains a line break/);
    expect((error as Error).message).not.toContain('s3cret');
    expect(seen).toHaveLength(0);
  });
});

describe('option types (checked by tsc: each @ts-expect-error must be an error)', () => {
  it('refuses misspelt and foreign options at compile time, and takes named custom ones', () => {
    const core = new RestClient({ host });
    // @ts-expect-error a typo of `limit`
    core.get().resource('pods').params({ limt: 50 });
    // @ts-expect-error create options do not fit a GET
    core.get().resource('pods').params({ fieldManager: 'me', limt: 1 });
    // @ts-expect-error list options do not fit a POST
    core.post().resource('pods').params({ labelSelector: 'a=b' });
    // @ts-expect-error `force` is for patches, not updates
    core.put().resource('pods').name('p').params({ force: true });
    core.patch('application/apply-patch+yaml').resource('pods').name('p').params({ fieldManager: 'me', force: true });
    core.delete().resource('pods').params({ labelSelector: 'a=b', dryRun: ['All'] });
    const logs = core.get().resource('pods').name('p').subresource('log').params<{ follow: boolean; container: string }>({ follow: true, container: 'c' });
    expect(logs.toRecipe().url.search).toBe('?container=c&follow=true');
  });
});

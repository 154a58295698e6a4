import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RequestError } from './errors/request-error.ts';
import { isAlreadyExists, isConflict, isForbidden, isInvalid, isNotFound, isUnauthorized } from './errors/predicates.ts';
import { StatusError } from './errors/status-error.ts';
import { PatchType } from './request/patch-type.ts';
import { RestClient } from './rest-client.ts';
import { DEFAULT_RETRY, retryOnConflict } from './utils/retry-on-conflict.ts';
import type { RestConfig } from './rest-config.ts';
import type { WatchEvent } from './request/watch.ts';

/* Against the real kube-apiserver that @kgo/envtest starts: what the server defines is checked there. */

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; managedFields?: { manager: string }[]; annotations?: Record<string, string> };
  data?: Record<string, string>;
}
interface List<T> {
  items: T[];
  metadata: { resourceVersion: string; continue?: string };
}
interface SelfSubjectReview {
  status: { userInfo: { username: string; uid?: string; groups?: string[] } };
}

const cluster = testCluster();
const adminConfig: RestConfig = restConfigFor(cluster);
const core = new RestClient(adminConfig, { groupVersion: { group: '', version: 'v1' } });
const namespace = uniqueNamespace('kgo-rest');
const configMap = (name: string, data: Record<string, string> = { a: '1' }): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

async function whoami(config: RestConfig): Promise<SelfSubjectReview['status']['userInfo']> {
  const review = await new RestClient(config)
    .post()
    .absPath('/apis/authentication.k8s.io/v1/selfsubjectreviews')
    .body({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })
    .do();
  return review.into<SelfSubjectReview>().status.userInfo;
}

beforeAll(async () => {
  await core.post().resource('namespaces').body({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).do();
});
afterAll(async () => {
  await core.delete().resource('namespaces').name(namespace).do().catch(() => {});
});

describe('the server', () => {
  it('reports the pinned Kubernetes version at /version', async () => {
    const version = (await core.get().absPath('/version').do()).into<{ gitVersion: string; major: string }>();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    if (cluster.managed) expect(version.gitVersion).toBe(cluster.gitVersion);
  });
});

describe('ConfigMap CRUD through the request builder', () => {
  it('creates, reads, updates, patches (all four types) and deletes', async () => {
    const created = (await core.post().namespace(namespace).resource('configmaps').body(configMap('crud')).do()).into<ConfigMap>();
    expect(created.metadata.resourceVersion).toBeTruthy();

    const got = (await core.get().namespace(namespace).resource('configmaps').name('crud').do()).into<ConfigMap>();
    expect(got.data).toEqual({ a: '1' });

    const updated = (
      await core.put().namespace(namespace).resource('configmaps').name('crud').body({ ...got, data: { a: '2' } }).do()
    ).into<ConfigMap>();
    expect(updated.data).toEqual({ a: '2' });

    const merged = (await core.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name('crud').body({ data: { b: 'm' } }).do()).into<ConfigMap>();
    expect(merged.data).toEqual({ a: '2', b: 'm' });
    const jsonPatched = (
      await core.patch(PatchType.JSON).namespace(namespace).resource('configmaps').name('crud').body([{ op: 'replace', path: '/data/a', value: 'j' }]).do()
    ).into<ConfigMap>();
    expect(jsonPatched.data).toEqual({ a: 'j', b: 'm' });
    const strategic = (
      await core.patch(PatchType.StrategicMerge).namespace(namespace).resource('configmaps').name('crud').body({ data: { c: 's' } }).do()
    ).into<ConfigMap>();
    expect(strategic.data).toEqual({ a: 'j', b: 'm', c: 's' });

    const deleted = await core.delete().namespace(namespace).resource('configmaps').name('crud').body({ propagationPolicy: 'Background' }).do();
    expect(deleted.statusCode).toBe(200);
    const gone = await errorOf(core.get().namespace(namespace).resource('configmaps').name('crud').do());
    expect(isNotFound(gone)).toBe(true);
    expect((gone as StatusError).message).toBe('configmaps "crud" not found');
    expect((gone as StatusError).status.details).toMatchObject({ name: 'crud', kind: 'configmaps' });
  });

  it('maps 409 AlreadyExists and 409 Conflict to their predicates', async () => {
    await core.post().namespace(namespace).resource('configmaps').body(configMap('conflict')).do();
    const exists = await errorOf(core.post().namespace(namespace).resource('configmaps').body(configMap('conflict')).do());
    expect(isAlreadyExists(exists)).toBe(true);
    expect((exists as StatusError).code).toBe(409);

    const stale = { ...configMap('conflict', { a: 'x' }), metadata: { name: 'conflict', resourceVersion: '1' } };
    const conflict = await errorOf(core.put().namespace(namespace).resource('configmaps').name('conflict').body(stale).do());
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as StatusError).message).toContain('the object has been modified');
  });

  it('maps 422 Invalid with the causes the server gave', async () => {
    const invalid = await errorOf(core.post().namespace(namespace).resource('configmaps').body(configMap('Not_A_Valid_Name')).do());
    expect(isInvalid(invalid)).toBe(true);
    const status = (invalid as StatusError).status;
    expect(status.code).toBe(422);
    expect(status.details?.causes?.[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueInvalid' });
  });

  it('creates nothing on a dry run', async () => {
    const result = await core.post().namespace(namespace).resource('configmaps').params({ dryRun: ['All'] }).body(configMap('dry')).do();
    expect(result.statusCode).toBe(201);
    expect(isNotFound(await errorOf(core.get().namespace(namespace).resource('configmaps').name('dry').do()))).toBe(true);
  });
});

describe('retryOnConflict against a real conflict', () => {
  it('writes on the second call after a write in between made the first one stale (409)', async () => {
    const cms = () => core.get().namespace(namespace).resource('configmaps');
    await core.post().namespace(namespace).resource('configmaps').body(configMap('contended')).do();
    const stale = (await cms().name('contended').do()).into<ConfigMap>();
    // Someone else writes first: `stale` now holds an old resourceVersion.
    await core.put().namespace(namespace).resource('configmaps').name('contended').body({ ...stale, data: { by: 'other' } }).do();

    const seen: number[] = [];
    let calls = 0;
    const written = await retryOnConflict(DEFAULT_RETRY, async () => {
      calls++;
      const current = calls === 1 ? stale : (await cms().name('contended').do()).into<ConfigMap>();
      try {
        return (await core.put().namespace(namespace).resource('configmaps').name('contended').body({ ...current, data: { ...current.data, by: 'us' } }).do()).into<ConfigMap>();
      } catch (error) {
        if (isConflict(error)) seen.push(409);
        throw error;
      }
    });
    expect(calls).toBe(2);
    expect(seen).toEqual([409]);
    expect(written.data).toEqual({ by: 'us' });
    expect((await cms().name('contended').do()).into<ConfigMap>().data).toEqual({ by: 'us' });
  });
});

describe('server-side apply', () => {
  it('applies, refuses a conflicting manager with 409, then takes the field with force', async () => {
    const apply = (manager: string, data: Record<string, string>, force?: boolean) =>
      core
        .patch(PatchType.Apply)
        .namespace(namespace)
        .resource('configmaps')
        .name('applied')
        .params({ fieldManager: manager, force })
        .body(configMap('applied', data))
        .do();
    await apply('team-a', { owner: 'a' });
    const conflict = await errorOf(apply('team-b', { owner: 'b' }));
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as StatusError).status.details?.causes?.[0]?.message).toContain('conflict with "team-a"');
    const forced = (await apply('team-b', { owner: 'b' }, true)).into<ConfigMap>();
    expect(forced.data).toEqual({ owner: 'b' });
    expect(forced.metadata.managedFields?.map((field) => field.manager)).toContain('team-b');
  });
});

describe('list pagination', () => {
  it('pages through 1,000 ConfigMaps with limit and continue', async () => {
    const pageNamespace = `${namespace}-pages`;
    await core.post().resource('namespaces').body({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: pageNamespace } }).do();
    const names = Array.from({ length: 1000 }, (_, i) => `cm-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((name) => core.post().namespace(pageNamespace).resource('configmaps').body(configMap(name)).do()));
    }
    const seen: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = (await core.get().namespace(pageNamespace).resource('configmaps').params({ limit: 100, continue: token }).do()).into<List<ConfigMap>>();
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((item) => item.metadata.name));
      token = page.metadata.continue || undefined;
    } while (token);
    expect(pages).toBe(10);
    expect(seen).toEqual(names);
  }, 120_000);
});

describe('watch', () => {
  it('sees ADDED, MODIFIED and DELETED in order, from a list resourceVersion', async () => {
    const list = (await core.get().namespace(namespace).resource('configmaps').do()).into<List<ConfigMap>>();
    const watch = await core
      .get()
      .namespace(namespace)
      .resource('configmaps')
      .params({ resourceVersion: list.metadata.resourceVersion, fieldSelector: 'metadata.name=watched' })
      .watch<ConfigMap>();
    await core.post().namespace(namespace).resource('configmaps').body(configMap('watched')).do();
    await core.patch(PatchType.Merge).namespace(namespace).resource('configmaps').name('watched').body({ data: { a: '2' } }).do();
    await core.delete().namespace(namespace).resource('configmaps').name('watched').do();
    const events: string[] = [];
    for await (const event of watch) {
      events.push(`${event.type} ${event.type === 'ERROR' ? '' : event.object.data?.a}`);
      if (event.type === 'DELETED') break;
    }
    expect(events).toEqual(['ADDED 1', 'MODIFIED 2', 'DELETED 2']);
  });

  it('sends the initial state and a BOOKMARK when asked (watch-list)', async () => {
    await core.post().namespace(namespace).resource('configmaps').body(configMap('bookmarked')).do();
    const watch = await core
      .get()
      .namespace(namespace)
      .resource('configmaps')
      .params({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true, fieldSelector: 'metadata.name=bookmarked' })
      .watch<ConfigMap>();
    const events: WatchEvent<ConfigMap>[] = [];
    for await (const event of watch) {
      events.push(event);
      if (event.type === 'BOOKMARK') break;
    }
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'BOOKMARK']);
    const bookmark = events[1]?.object as ConfigMap;
    expect(bookmark.metadata.annotations?.['k8s.io/initial-events-end']).toBe('true');
    expect(bookmark.metadata.resourceVersion).toBeTruthy();
  });

  it('stops on stop() and ends quietly when the server times the watch out', async () => {
    const watch = await core.get().namespace(namespace).resource('configmaps').params({ timeoutSeconds: 1 }).watch<ConfigMap>();
    let count = 0;
    for await (const _ of watch) count++;
    expect(count).toBeGreaterThanOrEqual(0);
    const stopped = await core.get().namespace(namespace).resource('configmaps').params({ fieldSelector: 'metadata.name=none' }).watch<ConfigMap>();
    setTimeout(() => stopped.stop(), 100);
    for await (const _ of stopped);
    const controller = new AbortController();
    const cancelled = await core.get().namespace(namespace).resource('configmaps').params({ fieldSelector: 'metadata.name=none' }).signal(controller.signal).watch<ConfigMap>();
    setTimeout(() => controller.abort(), 100);
    for await (const _ of cancelled);
    expect(controller.signal.aborted).toBe(true);
  });
});

describe('authentication and authorization', () => {
  it('authenticates the client-certificate user', async () => {
    const user = await whoami(adminConfig);
    if (cluster.managed) expect(user).toMatchObject({ username: cluster.admin.name, groups: expect.arrayContaining(['system:masters']) });
  });

  it('authenticates the token user and refuses it what RBAC did not grant (403)', async (context) => {
    if (!cluster.user) return context.skip('the token user exists only on envtest clusters');
    const tokenConfig: RestConfig = restConfigFor(cluster, { user: 'user' });
    expect(await whoami(tokenConfig)).toMatchObject({ username: cluster.user.name, uid: cluster.user.uid, groups: expect.arrayContaining(cluster.user.groups) });
    const forbidden = await errorOf(new RestClient(tokenConfig, { groupVersion: { group: '', version: 'v1' } }).get().namespace(namespace).resource('secrets').do());
    expect(isForbidden(forbidden)).toBe(true);
    expect((forbidden as StatusError).message).toContain(`User "${cluster.user.name}" cannot list resource "secrets"`);
  });

  it('maps a bad token to 401 Unauthorized', async () => {
    const error = await errorOf(whoami({ host: cluster.server, tls: { caData: cluster.caCert }, bearerToken: 'not-a-real-token', qps: -1 }));
    expect(isUnauthorized(error)).toBe(true);
    expect(String(error)).not.toContain('not-a-real-token');
  });

  it('sends each impersonated group on its own header line', async () => {
    const user = await whoami({ ...adminConfig, impersonate: { userName: 'jane', uid: 'jane-uid', groups: ['developers', 'ops, oncall'], extra: { 'example.com/scope': ['read'] } } });
    expect(user.username).toBe('jane');
    expect(user.uid).toBe('jane-uid');
    expect(user.groups).toEqual(expect.arrayContaining(['developers', 'ops, oncall', 'system:authenticated']));
    expect(user.groups).not.toContain('developers, ops, oncall');
  });
});

describe('TLS', () => {
  it('refuses a server whose certificate another CA signed, and says what to check', async () => {
    const { createCertificateAuthority } = await import('@kgo/envtest');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kgo-other-ca-'));
    try {
      const otherCa = await createCertificateAuthority(dir, 'other', 'some-other-ca');
      const error = await errorOf(whoami({ ...adminConfig, tls: { ...adminConfig.tls, caData: otherCa.cert } }));
      expect(RequestError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/TLS verification of 127\.0\.0\.1:\d+ failed/);
      expect((error as Error).message).toContain('certificate-authority');
      expect((error as Error).message).not.toContain('BEGIN');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('verifies against tls.serverName: a name in the certificate works, another is refused', async () => {
    if (cluster.servingDnsName) {
      expect((await whoami({ ...adminConfig, tls: { ...adminConfig.tls, serverName: cluster.servingDnsName } })).username).toBeTruthy();
    }
    const error = await errorOf(whoami({ ...adminConfig, tls: { ...adminConfig.tls, serverName: 'wrong.example.com' } }));
    expect(RequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect((error as Error).message).toContain('tls-server-name');
  });

  it('refuses insecure together with a CA', () => {
    expect(() => new RestClient({ host: cluster.server, tls: { caData: cluster.caCert, insecure: true } })).toThrow(/insecure flag is not allowed/);
  });
});

describe('client-side rate limiting', () => {
  it('holds 10 QPS over 50 requests (burst 10, so at least 4 s)', async () => {
    const limited = new RestClient({ ...adminConfig, qps: 10, burst: 10 });
    const started = performance.now();
    for (let i = 0; i < 50; i++) await limited.get().absPath('/version').do();
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(3.95);
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});

describe('warnings', () => {
  it("hands the server's deprecation warning to the handler, with the result", async () => {
    const seen: string[] = [];
    const client = new RestClient({ ...adminConfig, warningHandler: (warning) => seen.push(warning.text) }, { groupVersion: { group: '', version: 'v1' } });
    const result = await client.get().resource('componentstatuses').do();
    expect(seen.some((text) => /ComponentStatus is deprecated/.test(text))).toBe(true);
    expect(result.warnings.map((warning) => warning.text)).toEqual(seen);
  });
});

describe('stream', () => {
  it('streams a response body', async () => {
    const body = await core.get().absPath('/openapi/v3').stream();
    const text = await new Response(body).text();
    expect(Object.keys((JSON.parse(text) as { paths: Record<string, unknown> }).paths)).toContain('api/v1');
  });

  describe('a pod no node runs: the server answers its log with 204 No Content', () => {
    const pod = 'unscheduled';
    const logOf = (client: RestClient) => client.get().namespace(namespace).resource('pods').name(pod).subresource('log').param('follow', 'true');
    // Errors nobody handles (an 'error' event on a stream nobody reads) reach the process, not the test.
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    // Such an error is emitted on the next tick after the abort that causes it: a turn of the event loop lets it out.
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    beforeAll(async () => {
      const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] } };
      await core.post().namespace(namespace).resource('pods').body(body).do();
      process.on('uncaughtException', record);
    });
    afterAll(() => {
      process.off('uncaughtException', record);
    });
    beforeEach(() => {
      uncaught.length = 0;
    });

    it.each<[string, RestConfig]>([
      ['HTTP/2', adminConfig],
      ['HTTP/1.1', { ...adminConfig, http2: false }],
    ])('over %s, stream() gives an empty stream (client-go: the empty body), and nothing escapes', async (_, config) => {
      const client = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
      try {
        const text = await new Response(await logOf(client).stream()).text();
        expect(text).toBe('');
        await turn();
        await turn();
        expect(uncaught).toEqual([]);
      } finally {
        await client.close();
      }
    });

    it.each<[string, RestConfig]>([
      ['HTTP/2', adminConfig],
      ['HTTP/1.1', { ...adminConfig, http2: false }],
    ])('over %s, a watch answered so is a RequestError, and the aborted answer does not kill the process', async (_, config) => {
      const client = new RestClient(config, { groupVersion: { group: '', version: 'v1' } });
      try {
        const error = await errorOf(logOf(client).watch());
        await turn();
        await turn();
        expect(uncaught).toEqual([]);
        expect(RequestError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain('status 204 and no body');
      } finally {
        await client.close();
      }
    });
  });
});

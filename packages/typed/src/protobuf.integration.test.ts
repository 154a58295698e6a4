import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { HttpClient, PatchType, RestClient } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { allProtobufCodecs, codecFor } from './__fixtures__/protobuf-codecs.ts';
import { unwrapEnvelope, wrapEnvelope } from './__fixtures__/protobuf-envelope.ts';
import { fixtures } from './__fixtures__/protobuf-objects.ts';

/*
 * The protobuf codecs against the real kube-apiserver: every built-in kind the server serves is
 * listed (and every fixture read) over JSON and over protobuf at the same resourceVersion, and
 * the two objects must be deep-equal. Requests go through a plain RestClient with the envelope
 * read by a test helper, so these tests check the codecs alone.
 */

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const http = new HttpClient(restConfigFor(testCluster()));
const rest = new RestClient(http);
const namespace = uniqueNamespace('kgo-proto');
const codecs = await allProtobufCodecs();
const binary = Uint8Array.from({ length: 256 }, (_, index) => index); // every byte value
const source = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'openapi', 'source.json'), 'utf8')) as { groupVersions: string[] };
const created = new Map<string, number>(); // fixture kinds → count

interface ListMeta {
  metadata: { resourceVersion: string; continue?: string };
  items: { metadata: { name: string; namespace?: string } }[];
}
interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

const fill = (path: string) => path.replaceAll('{ns}', namespace);

async function readProtobuf(path: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const request = rest.get().absPath(path).setHeader('Accept', PROTOBUF);
  for (const [key, value] of Object.entries(params)) request.param(key, value);
  const { apiVersion, kind, raw } = unwrapEnvelope(await request.do().raw());
  return codecFor(codecs, apiVersion, kind).decode({ apiVersion, kind }, raw);
}

async function readJson<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const request = rest.get().absPath(path);
  for (const [key, value] of Object.entries(params)) request.param(key, value);
  return request.do().into<T>();
}

beforeAll(async () => {
  await rest.post().absPath('/api/v1/namespaces').body({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { purpose: 'protobuf' } } }).do();
  const dir = mkdtempSync(join(tmpdir(), 'kgo-proto-csr-'));
  let csrPem: string;
  let certPem: string;
  try {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'csr.pem'), '-subj', '/CN=kgo-proto'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-days', '1', '-out', join(dir, 'ca.pem'), '-subj', '/CN=kgo-proto-ca'], { stdio: 'ignore' });
    csrPem = readFileSync(join(dir, 'csr.pem'), 'utf8');
    certPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const { path, body } of fixtures(binary, csrPem, certPem)) {
    const filled = JSON.parse(fill(JSON.stringify(body))) as Record<string, unknown>;
    const result = await rest.post().absPath(fill(path)).body(filled).do().into<{ kind: string; apiVersion: string }>();
    created.set(`${result.apiVersion} ${result.kind}`, (created.get(`${result.apiVersion} ${result.kind}`) ?? 0) + 1);
  }
  for (const document of parseAllDocuments(readFileSync(join(import.meta.dirname, '__fixtures__', 'crds.yaml'), 'utf8'))) {
    await rest
      .post()
      .absPath('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
      .body(document.toJS())
      .do()
      .catch((error: unknown) => {
        // Another test file of this run may have created the same CRD.
        if ((error as { status?: { reason?: string } }).status?.reason !== 'AlreadyExists') throw error;
      });
  }
}, 120_000);

afterAll(async () => {
  await rest.delete().absPath(`/api/v1/namespaces/${namespace}`).do().catch(() => {});
  await http.close();
});

// Every served group-version's listable resources (discovery at collection time would need the server first).
const groupVersions = source.groupVersions.map((path) => path.replace(/^apis?\//, '')).map((gv) => (gv === 'v1' ? { path: '/api/v1', gv } : { path: `/apis/${gv}`, gv }));

describe('every built-in kind reads the same over protobuf as over JSON', () => {
  const withItems = new Set<string>();
  const listed = new Set<string>();

  for (const { path, gv } of groupVersions) {
    it(`${gv}: every listable resource, list and objects`, async () => {
      const discovery = await readJson<{ resources: ApiResource[] }>(path).catch(() => undefined);
      if (!discovery) {
        // Not served by this kube-apiserver (an alpha version off by default): nothing to read.
        expect(gv).toMatch(/alpha/);
        return;
      }
      // authentication and authorization serve create-only resources: nothing to list there.
      const listable = discovery.resources.filter((resource) => !resource.name.includes('/') && resource.verbs.includes('list'));
      for (const resource of listable) {
        const collection = `${path}/${resource.name}`;
        const json = await readJson<ListMeta>(collection);
        const protobuf = await readProtobuf(collection, { resourceVersion: json.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
        if (resource.name === 'componentstatuses') {
          // Probed live on each read (not stored), in no fixed order.
          for (const list of [json, protobuf as unknown as ListMeta]) list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        }
        expect(protobuf, collection).toStrictEqual(json);
        listed.add(`${gv} ${resource.kind}`);
        if (json.items.length > 0) withItems.add(`${gv} ${resource.kind}`);
        // Objects, not only lists: each one (up to 20) read alone.
        for (const item of json.items.slice(0, 20)) {
          const objectPath = resource.namespaced ? `${path}/namespaces/${item.metadata.namespace}/${resource.name}/${item.metadata.name}` : `${collection}/${item.metadata.name}`;
          const one = await readJson<{ metadata: { resourceVersion: string } }>(objectPath);
          const oneProtobuf = await readProtobuf(objectPath, { resourceVersion: one.metadata.resourceVersion });
          expect(oneProtobuf, objectPath).toStrictEqual(one);
        }
      }
    });
  }

  it('compared objects of every listable kind: the fixtures and the control plane\'s own objects', () => {
    const expected = [...created.keys()].map((key) => key.replace(/^(\S+) /, (_, apiVersion: string) => `${apiVersion} `));
    expect([...withItems].sort()).toEqual(expect.arrayContaining(expected.sort()));
    expect(withItems).toContain('apiextensions.k8s.io/v1 CustomResourceDefinition');
    expect(withItems).toContain('apiregistration.k8s.io/v1 APIService');
    expect(withItems).toContain('flowcontrol.apiserver.k8s.io/v1 FlowSchema');
    // Every listable kind had objects to compare but one, whose objects need a pod's key and proof of possession.
    expect([...listed].filter((kind) => !withItems.has(kind))).toEqual(['certificates.k8s.io/v1 PodCertificateRequest']);
    expect(withItems.size).toBeGreaterThanOrEqual(60);
  });
});

describe('lists with pagination over protobuf', () => {
  it('pages through every namespace\'s objects of several kinds with the same pages and continue tokens as JSON', async () => {
    for (const collection of ['/api/v1/configmaps', '/api/v1/services', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas']) {
      let jsonContinue: string | undefined;
      let pages = 0;
      let items = 0;
      const first = await readJson<ListMeta>(collection, { limit: '2' });
      let json = first;
      let protobuf = await readProtobuf(collection, { limit: '2', resourceVersion: first.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
      for (;;) {
        expect(protobuf, `${collection} page ${pages}`).toStrictEqual(json);
        pages++;
        items += json.items.length;
        jsonContinue = json.metadata.continue;
        if (!jsonContinue) break;
        json = await readJson<ListMeta>(collection, { limit: '2', continue: jsonContinue });
        protobuf = await readProtobuf(collection, { limit: '2', continue: (protobuf.metadata as { continue: string }).continue });
      }
      expect(pages, collection).toBeGreaterThan(1);
      expect(items, collection).toBeGreaterThan(2);
    }
  });
});

async function sendProtobuf(method: 'post' | 'put', path: string, apiVersion: string, kind: string, object: object): Promise<Record<string, unknown>> {
  const codec = codecFor(codecs, apiVersion, kind);
  const body = wrapEnvelope(apiVersion, kind, codec.encode({ apiVersion, kind }, object));
  const response = await rest[method]().absPath(path).setHeader('Accept', PROTOBUF).body(body, PROTOBUF).do().raw();
  const decoded = unwrapEnvelope(response);
  return codecFor(codecs, decoded.apiVersion, decoded.kind).decode(decoded, decoded.raw);
}

describe('create, update, patch and watch over protobuf', () => {
  const cases: { collection: string; apiVersion: string; kind: string; object: Record<string, unknown>; check: (read: Record<string, unknown>) => void; change: (read: Record<string, unknown>) => void }[] = [
    {
      collection: '/api/v1/namespaces/{ns}/secrets',
      apiVersion: 'v1',
      kind: 'Secret',
      object: { metadata: { name: 'pb-secret', labels: { via: 'protobuf' } }, type: 'Opaque', data: { bin: Buffer.from(binary).toString('base64') } },
      check: (read) => expect(Buffer.from((read.data as { bin: string }).bin, 'base64')).toEqual(Buffer.from(binary)),
      change: (read) => ((read.data as Record<string, string>).more = Buffer.from([0, 255]).toString('base64')),
    },
    {
      collection: '/api/v1/namespaces/{ns}/services',
      apiVersion: 'v1',
      kind: 'Service',
      object: { metadata: { name: 'pb-svc' }, spec: { selector: { app: 'pb' }, ports: [{ name: 'a', port: 80, targetPort: 'http' }, { name: 'b', port: 81, targetPort: 8081 }] } },
      check: (read) => expect((read.spec as { ports: { targetPort: unknown }[] }).ports.map((port) => port.targetPort)).toEqual(['http', 8081]),
      change: (read) => ((read.spec as { ports: { targetPort: unknown }[] }).ports[0]!.targetPort = 9090),
    },
    {
      collection: '/api/v1/namespaces/{ns}/pods',
      apiVersion: 'v1',
      kind: 'Pod',
      object: { metadata: { name: 'pb-pod', annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'registry.example/app:1', resources: { requests: { cpu: '0.5', memory: '1Gi' }, limits: { cpu: '1000m' } } }] } },
      // The server canonicalises quantities; the protobuf path shows the same canonical form.
      // (The namespace's LimitRange adds the memory limit.)
      check: (read) => expect((read.spec as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }),
      change: (read) => ((read.metadata as { labels?: Record<string, string> }).labels = { changed: 'yes' }),
    },
    {
      collection: '/api/v1/namespaces/{ns}/configmaps',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      object: { metadata: { name: 'pb-cm' }, data: { text: 'ünïcödé', empty: '' } },
      check: (read) => expect(read.data).toEqual({ text: 'ünïcödé', empty: '' }),
      change: (read) => ((read.data as Record<string, string>).text = 'changed'),
    },
    {
      collection: '/apis/apps/v1/namespaces/{ns}/deployments',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      object: { metadata: { name: 'pb-deploy' }, spec: { replicas: 0, selector: { matchLabels: { app: 'pb' } }, template: { metadata: { labels: { app: 'pb' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, strategy: { rollingUpdate: { maxSurge: '30%', maxUnavailable: 0 } } } },
      check: (read) => {
        expect((read.spec as { replicas: number }).replicas).toBe(0); // a pointer to zero stays
        expect((read.spec as { strategy: unknown }).strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: 0 } });
        expect(read.status).toEqual({});
      },
      change: (read) => ((read.spec as { replicas: number }).replicas = 1),
    },
    {
      collection: '/apis/coordination.k8s.io/v1/namespaces/{ns}/leases',
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      object: { metadata: { name: 'pb-lease' }, spec: { holderIdentity: 'me', renewTime: '2026-03-04T05:06:07.891011Z' } },
      check: (read) => expect((read.spec as { renewTime: string }).renewTime).toBe('2026-03-04T05:06:07.891011Z'),
      change: (read) => ((read.spec as { renewTime: string }).renewTime = '2026-03-04T05:06:08.000001Z'),
    },
  ];

  for (const { collection, apiVersion, kind, object, check, change } of cases) {
    it(`${kind}: create and update with protobuf bodies, patch and get with protobuf responses, equal to JSON reads`, async () => {
      const path = fill(collection);
      const name = (object.metadata as { name: string }).name;
      const createdObject = await sendProtobuf('post', path, apiVersion, kind, object);
      expect(createdObject).toStrictEqual(await readJson(`${path}/${name}`));
      expect((createdObject.metadata as { creationTimestamp: string }).creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      check(createdObject);
      change(createdObject);
      const updated = await sendProtobuf('put', `${path}/${name}`, apiVersion, kind, createdObject);
      expect(updated).toStrictEqual(await readJson(`${path}/${name}`));
      expect((updated.metadata as { resourceVersion: string }).resourceVersion).not.toBe((createdObject.metadata as { resourceVersion: string }).resourceVersion);
      const patchedBody = await rest.patch(PatchType.Merge).absPath(`${path}/${name}`).setHeader('Accept', PROTOBUF).body({ metadata: { annotations: { patched: 'yes' } } }).do().raw();
      const patchedEnvelope = unwrapEnvelope(patchedBody);
      const patched = codecFor(codecs, patchedEnvelope.apiVersion, patchedEnvelope.kind).decode(patchedEnvelope, patchedEnvelope.raw);
      expect((patched.metadata as { annotations: Record<string, string> }).annotations.patched).toBe('yes');
      expect(patched).toStrictEqual(await readJson(`${path}/${name}`));
    });
  }
});

async function sendJson(path: string, object: object): Promise<Record<string, unknown>> {
  return rest.post().absPath(path).body(object).do().into<Record<string, unknown>>();
}

describe('create-only kinds over protobuf: reviews, token requests', () => {
  it('SelfSubjectReview, SelfSubjectAccessReview, SubjectAccessReview and SelfSubjectRulesReview answer the same as over JSON', async () => {
    const reviews: [string, string, string, object][] = [
      ['/apis/authentication.k8s.io/v1/selfsubjectreviews', 'authentication.k8s.io/v1', 'SelfSubjectReview', {}],
      ['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'authorization.k8s.io/v1', 'SelfSubjectAccessReview', { spec: { resourceAttributes: { namespace, verb: 'list', resource: 'pods' } } }],
      ['/apis/authorization.k8s.io/v1/subjectaccessreviews', 'authorization.k8s.io/v1', 'SubjectAccessReview', { spec: { user: 'someone', groups: ['devs'], extra: { team: ['a', 'b'] }, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }],
      ['/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', 'authorization.k8s.io/v1', 'SelfSubjectRulesReview', { spec: { namespace } }],
    ];
    // The rules of a rules review come in no fixed order (the authorizer walks maps): compare them sorted.
    const sortRules = (review: Record<string, unknown>) => {
      const status = review.status as Record<string, unknown[]> | undefined;
      for (const key of ['resourceRules', 'nonResourceRules']) status?.[key]?.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return review;
    };
    for (const [path, apiVersion, kind, body] of reviews) {
      const overJson = sortRules(await sendJson(path, { apiVersion, kind, ...body }));
      const overProtobuf = sortRules(await sendProtobuf('post', path, apiVersion, kind, body));
      expect(overProtobuf, kind).toStrictEqual(overJson);
    }
  });

  it('TokenRequest and TokenReview: the review of a service account token carries user.extra (ExtraValue lists)', async () => {
    const tokenPath = `/api/v1/namespaces/${namespace}/serviceaccounts/robot/token`;
    const request = await sendProtobuf('post', tokenPath, 'authentication.k8s.io/v1', 'TokenRequest', { spec: { audiences: ['kgo-proto'], expirationSeconds: 600 } });
    const token = (request.status as { token: string; expirationTimestamp: string }).token;
    expect(token.split('.')).toHaveLength(3);
    expect((request.status as { expirationTimestamp: string }).expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const review = { spec: { token, audiences: ['kgo-proto'] } };
    const overJson = await sendJson('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', ...review });
    const overProtobuf = await sendProtobuf('post', '/apis/authentication.k8s.io/v1/tokenreviews', 'authentication.k8s.io/v1', 'TokenReview', review);
    expect(overProtobuf).toStrictEqual(overJson);
    const extra = (overProtobuf.status as { user: { extra: Record<string, string[]> } }).user.extra;
    expect(Object.values(extra).every((values) => Array.isArray(values) && values.length > 0)).toBe(true);
    expect(Object.keys(extra)).toContain('authentication.kubernetes.io/credential-id');
  });
});


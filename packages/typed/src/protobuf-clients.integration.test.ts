import { restConfigFor, testCluster, uniqueNamespace } from '@kgo/envtest/vitest';
import { combineProtobufCodecs, HttpClient, isNotFound, PatchType, type ProtobufCodec } from '@kgo/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appsV1 } from './generated/apps/v1/client.ts';
import { appsV1Protobuf } from './generated/apps/v1/protobuf.ts';
import { autoscalingV1Protobuf } from './generated/autoscaling/v1/protobuf.ts';
import { CoreV1Client, coreV1 } from './generated/core/v1/client.ts';
import { coreV1Protobuf } from './generated/core/v1/protobuf.ts';
import type { Pod } from './generated/core/v1/types.ts';
import { createClientSet } from './runtime/client-set.ts';

/*
 * The generated typed clients with protobuf opted in (per client, per ClientSet, per call)
 * against the real kube-apiserver: every answer equals what the same client reads over JSON,
 * and a counting codec proves the protobuf path was taken.
 */

/** Wraps a codec, counting what it decodes and encodes by kind. */
function counting(codec: ProtobufCodec): ProtobufCodec & { decoded: string[]; encoded: string[] } {
  const decoded: string[] = [];
  const encoded: string[] = [];
  return {
    decoded,
    encoded,
    handles: (type) => codec.handles(type),
    decode: (type, raw) => {
      decoded.push(type.kind);
      return codec.decode(type, raw);
    },
    encode: (type, object) => {
      encoded.push(type.kind);
      return codec.encode(type, object);
    },
  };
}

const http = new HttpClient(restConfigFor(testCluster()));
const codec = counting(combineProtobufCodecs(coreV1Protobuf, appsV1Protobuf, autoscalingV1Protobuf));
const json = createClientSet(http, { coreV1, appsV1 });
const proto = createClientSet(http, { coreV1, appsV1 }, { protobuf: codec });
const namespace = uniqueNamespace('kgo-proto-clients');
const podSpec = { containers: [{ name: 'c', image: 'registry.example/app:1', resources: { requests: { cpu: '100m', memory: '32Mi' } } }], terminationGracePeriodSeconds: 0 };

beforeAll(async () => {
  await json.coreV1().namespaces().create({ metadata: { name: namespace } });
});
afterAll(async () => {
  await json.coreV1().namespaces().delete(namespace).catch(() => {});
  await http.close();
});

describe('typed clients over protobuf', () => {
  it('create, get, update, patch, list with pagination, watch and delete pods: each answer equals the JSON read', async () => {
    const pods = proto.coreV1().pods(namespace);
    const list0 = await pods.list();
    const watch = await pods.watch({ resourceVersion: list0.metadata?.resourceVersion, labelSelector: 'via=protobuf' });
    codec.decoded.length = 0;
    codec.encoded.length = 0;
    const created = await pods.create({ metadata: { name: 'p1', labels: { via: 'protobuf' } }, spec: podSpec });
    expect(codec.encoded).toEqual(['Pod']);
    expect(codec.decoded).toEqual(['Pod']);
    expect(created).toStrictEqual(await json.coreV1().pods(namespace).get('p1'));
    expect(created.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '100m', memory: '32Mi' });

    const updated = await pods.update({ ...created, metadata: { ...created.metadata, annotations: { step: 'update' } } });
    expect(updated.metadata?.annotations).toEqual({ step: 'update' });
    const patched = await pods.patch('p1', PatchType.StrategicMerge, { metadata: { labels: { extra: 'yes' } } });
    expect(patched).toStrictEqual(await json.coreV1().pods(namespace).get('p1'));
    expect(codec.encoded).toEqual(['Pod', 'Pod']); // the patch body stays JSON
    for (const name of ['p2', 'p3', 'p4']) await pods.create({ metadata: { name, labels: { via: 'protobuf' } }, spec: podSpec });

    // Pagination: pages of 2 over protobuf, the same objects as JSON's pages.
    const names: string[] = [];
    let page = await pods.list({ limit: 2 });
    let pages = 1;
    for (;;) {
      names.push(...page.items.map((pod) => pod.metadata?.name ?? ''));
      if (!page.metadata?.continue) break;
      page = await pods.list({ limit: 2, continue: page.metadata.continue });
      pages++;
    }
    expect(names).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(pages).toBe(2);
    const jsonList = await json.coreV1().pods(namespace).list();
    const protoList = await pods.list({ resourceVersion: jsonList.metadata?.resourceVersion, resourceVersionMatch: 'Exact' });
    expect(protoList).toStrictEqual(jsonList);
    expect(codec.decoded.filter((kind) => kind === 'PodList').length).toBeGreaterThanOrEqual(3);

    // Watch: protobuf frames decoded into the same Pods.
    const seen: string[] = [];
    for await (const event of watch) {
      const pod = event.object as Pod;
      seen.push(`${event.type} ${pod.metadata?.name}`);
      if (event.type === 'ADDED') expect(pod.metadata?.labels?.via).toBe('protobuf');
      if (seen.filter((entry) => entry.startsWith('ADDED')).length === 4) break;
    }
    expect(watch.isProtobuf).toBe(true);
    expect(seen.filter((entry) => entry.startsWith('ADDED'))).toEqual(['ADDED p1', 'ADDED p2', 'ADDED p3', 'ADDED p4']);

    await pods.delete('p1', { gracePeriodSeconds: 0 });
    await expect(pods.get('p1')).rejects.toSatisfy(isNotFound); // a Status over protobuf
  });

  it('Secrets with binary data and Services with int-or-string ports, created over protobuf', async () => {
    const bytes = Buffer.from(Uint8Array.from({ length: 256 }, (_, index) => 255 - index)).toString('base64');
    const secret = await proto.coreV1().secrets(namespace).create({ metadata: { name: 'bin' }, data: { key: bytes } });
    expect(secret.data?.key).toBe(bytes);
    expect(secret).toStrictEqual(await json.coreV1().secrets(namespace).get('bin'));
    const service = await proto.coreV1().services(namespace).create({ metadata: { name: 'svc' }, spec: { ports: [{ name: 'a', port: 80, targetPort: 'http' }, { name: 'b', port: 81, targetPort: 8081 }] } });
    expect(service.spec?.ports?.map((port) => port.targetPort)).toEqual(['http', 8081]);
    expect(service).toStrictEqual(await json.coreV1().services(namespace).get('svc'));
  });

  it('Deployments and their scale subresource (autoscaling/v1 Scale) through a combined codec', async () => {
    const deployments = proto.appsV1().deployments(namespace);
    const deployment = await deployments.create({
      metadata: { name: 'web' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } } },
    });
    expect(deployment.spec?.replicas).toBe(0);
    expect(deployment.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: '50%', maxUnavailable: 0 });
    expect(deployment.metadata?.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(deployment).toStrictEqual(await json.appsV1().deployments(namespace).get('web'));
    codec.decoded.length = 0;
    const scale = await deployments.getScale('web');
    expect(codec.decoded).toEqual(['Scale']);
    expect(scale).toStrictEqual(await json.appsV1().deployments(namespace).getScale('web'));
  });

  it('per client and per call: a client made with a codec, and withProtobuf(null) for one call', async () => {
    const own = counting(coreV1Protobuf);
    const client = new CoreV1Client(http, { protobuf: own });
    await client.configMaps(namespace).create({ metadata: { name: 'cm' }, data: { a: '1' } });
    expect(own.encoded).toEqual(['ConfigMap']);
    await client.withProtobuf(null).configMaps(namespace).get('cm');
    expect(own.decoded).toEqual(['ConfigMap']); // the create's answer only: the get went as JSON
    const viaCall = counting(coreV1Protobuf);
    const cm = await json.coreV1().withProtobuf(viaCall).configMaps(namespace).get('cm');
    expect(viaCall.decoded).toEqual(['ConfigMap']);
    expect(cm).toStrictEqual(await json.coreV1().configMaps(namespace).get('cm'));
  });
});

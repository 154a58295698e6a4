/**
 * #15's library choice, measured: decoding a PodList of 2,000 realistic pods from protobuf into
 * the objects the JSON path gives, with @kgo/typed's generated tables (decode straight into the
 * JSON-shaped object) against protobufjs 7 (reflection over the same .proto files: decode into
 * message objects, then `toObject`, which still lacks the JSON forms of Time, Quantity, …), with
 * JSON.parse of the same list as JSON for scale; and the esbuild bundle (minified, gzip) of each.
 *
 *   node --conditions=@kgo/source src/protobuf-decode.ts
 *
 * Prints a markdown table on stdout.
 */
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { coreV1Protobuf } from '@kgo/typed/core/v1/protobuf';
import { build } from 'esbuild';
import protobuf from 'protobufjs';

const PODS = 2000;
const typedRoot = fileURLToPath(new URL('../../typed/', import.meta.url));
const protoDir = join(typedRoot, 'protobuf', 'proto');

/** A pod as the server returns it: managed fields, owner, probes, resources, status. */
function pod(index: number): Record<string, unknown> {
  const name = `web-7f9c4b8d6-${index.toString(36).padStart(5, '0')}`;
  const time = '2026-11-25T06:00:00Z';
  return {
    metadata: {
      name,
      generateName: 'web-7f9c4b8d6-',
      namespace: 'shop',
      uid: `3f0c5b6e-1d2a-4c8b-9e7f-${index.toString(16).padStart(12, '0')}`,
      resourceVersion: String(100000 + index),
      creationTimestamp: time,
      labels: { app: 'web', 'pod-template-hash': '7f9c4b8d6', tier: 'frontend' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': time },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7f9c4b8d6', uid: '0b4c9a7e-5f3d-4e2a-8b1c-6d7e8f9a0b1c', controller: true, blockOwnerDeletion: true }],
      managedFields: [
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:podIP': {} } }, subresource: 'status' },
      ],
    },
    spec: {
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 } }],
      containers: [
        {
          name: 'web',
          image: 'registry.example/shop/web:1.42.0',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }, { name: 'MODE', value: 'production' }],
          resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
          volumeMounts: [{ name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      nodeName: `node-${index % 50}`,
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: time })),
      hostIP: '10.0.0.12',
      hostIPs: [{ ip: '10.0.0.12' }],
      podIP: `10.244.${index % 250}.${index % 200}`,
      podIPs: [{ ip: `10.244.${index % 250}.${index % 200}` }],
      startTime: time,
      containerStatuses: [{ name: 'web', state: { running: { startedAt: time } }, lastState: {}, ready: true, restartCount: 0, image: 'registry.example/shop/web:1.42.0', imageID: 'registry.example/shop/web@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', containerID: `containerd://${index.toString(16).padStart(64, 'a')}`, started: true }],
      qosClass: 'Burstable',
    },
  };
}

/** Milliseconds per call: the median of `rounds` one-second rounds, the decoders' rounds interleaved (a shared machine's noise hits them alike). */
function measure(decoders: [string, () => unknown][], rounds = 7): [string, number][] {
  const samples = new Map<string, number[]>(decoders.map(([name]) => [name, []]));
  for (const [, run] of decoders) for (let i = 0; i < 3; i++) run(); // warm up
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of decoders) {
      let count = 0;
      const start = performance.now();
      while (performance.now() - start < 1000) {
        run();
        count++;
      }
      samples.get(name)?.push((performance.now() - start) / count);
    }
  }
  return decoders.map(([name]) => {
    const sorted = (samples.get(name) ?? []).sort((a, b) => a - b);
    return [name, sorted[Math.floor(sorted.length / 2)] ?? Number.NaN];
  });
}

const list = { metadata: { resourceVersion: '200000' }, items: Array.from({ length: PODS }, (_, index) => pod(index)) };
const type = { apiVersion: 'v1', kind: 'PodList' };
const bytes = coreV1Protobuf.encode(type, list);
const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', ...coreV1Protobuf.decode(type, bytes) });

// protobufjs over the same .proto files.
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protoDir, target);
const files: string[] = [];
const walk = (dir: string) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(protoDir, path));
  }
};
walk(protoDir);
// The .proto files import runtime/schema's, which declares nothing Kubernetes kinds use.
root.resolvePath = (_origin, target) => {
  const path = join(protoDir, target);
  return files.includes(target) ? path : join(typedRoot, 'protobuf', 'schema.json').replace('schema.json', 'proto/k8s.io/api/core/v1/generated.proto');
};
root.loadSync(files, { keepCase: true });
const PodList = root.lookupType('k8s.io.api.core.v1.PodList');

const rows = measure([
  ['@kgo/typed generated tables: decode to the JSON-path object', () => coreV1Protobuf.decode(type, bytes)],
  ['protobufjs 7 (reflection): decode to message objects', () => PodList.decode(bytes)],
  ['protobufjs 7 (reflection): decode + toObject (no JSON forms yet)', () => PodList.toObject(PodList.decode(bytes), { longs: Number, bytes: String, defaults: false })],
  ['JSON.parse of the same list as JSON (the JSON path)', () => JSON.parse(jsonText)],
]);

// Bundles: what an app that decodes core/v1 over protobuf carries.
async function bundle(source: string): Promise<{ min: number; gzip: number }> {
  const result = await build({ stdin: { contents: source, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' }, bundle: true, minify: true, write: false, format: 'esm', platform: 'node', conditions: ['@kgo/source'], logLevel: 'silent' });
  const text = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: text.length, gzip: gzipSync(text).length };
}
const descriptor = JSON.stringify(root.toJSON());
const ours = await bundle(`import { coreV1Protobuf } from '@kgo/typed/core/v1/protobuf'; console.log(coreV1Protobuf);`);
const light = await bundle(`import protobuf from 'protobufjs/light.js'; const root = protobuf.Root.fromJSON(${descriptor}); console.log(root.lookupType('k8s.io.api.core.v1.PodList'));`);

console.log(`PodList of ${PODS} pods: ${(bytes.length / 1e6).toFixed(2)} MB protobuf, ${(jsonText.length / 1e6).toFixed(2)} MB JSON (Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores)\n`);
console.log('| decoder | ms per list (median of 7 rounds) | lists/s |\n| --- | ---: | ---: |');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(1000 / ms).toFixed(1)} |`);
console.log('\n| bundle (esbuild, minified) | bytes | gzip |\n| --- | ---: | ---: |');
console.log(`| @kgo/typed/core/v1/protobuf (runtime + core/v1 + meta/v1 tables) | ${ours.min} | ${ours.gzip} |`);
console.log(`| protobufjs/light + a JSON descriptor of the same .proto files (all group-versions: protobufjs needs them loaded together) | ${light.min} | ${light.gzip} |`);

// Apply any YAML: server-side apply every document of a multi-document file, CRDs and their
// objects included — `kubectl apply --server-side -f file.yaml` in a few lines. The DynamicClient
// sends each object; the RESTMapper (discovery) finds each kind's resource and scope.
//
// client-go:
//   mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
//   mapping, _ := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
//   dyn.Resource(mapping.Resource).Namespace(ns).Apply(ctx, name, obj, metav1.ApplyOptions{FieldManager: "kgo-example", Force: true})
//
// Run: node apply-yaml.ts [file.yaml]   (npm install @kgo/kubeconfig @kgo/rest @kgo/discovery @kgo/dynamic yaml)
// Without a file it applies the sample below. Objects without a namespace go to the context's namespace.
import { readFile } from 'node:fs/promises';
import { DeferredDiscoveryRESTMapper, DiscoveryClient, discoveryConfig, isNoMatchError, type RESTMapping } from '@kgo/discovery';
import { DynamicClient, type Unstructured } from '@kgo/dynamic';
import { loadConfig } from '@kgo/kubeconfig';
import { type GroupVersionKind, groupVersionKindOf, HttpClient, RestClient } from '@kgo/rest';
import { parseAllDocuments } from 'yaml';

const SAMPLE = `
apiVersion: v1
kind: Namespace
metadata: { name: kgo-example }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: kgo-example }
data: { mode: demo }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: kgo-example }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: registry.k8s.io/pause:3.10 }] }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: crontabs.stable.example.com }
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct] }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { cronSpec: { type: string }, image: { type: string } } }
---
apiVersion: stable.example.com/v1
kind: CronTab
metadata: { name: nightly, namespace: kgo-example }
spec: { cronSpec: "0 3 * * *", image: registry.k8s.io/pause:3.10 }
`;

const file = process.argv[2];
const text = file ? await readFile(file, 'utf8') : SAMPLE;
const { config, namespace: defaultNamespace } = await loadConfig();

await using http = new HttpClient(config);
await using discoveryRest = new RestClient(discoveryConfig(config));
const dynamic = new DynamicClient(http);
const mapper = new DeferredDiscoveryRESTMapper(new DiscoveryClient(discoveryRest));
let crdApplied = false;

for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) throw document.errors[0];
  const obj = document.toJS() as Unstructured | null;
  if (!obj) continue; // an empty document (a trailing ---)

  const gvk = groupVersionKindOf(obj);
  const mapping = await mappingFor(gvk);
  const resource = dynamic.resource(mapping.resource);
  const target = mapping.scope === 'namespace' ? resource.namespace(obj.metadata?.namespace ?? defaultNamespace) : resource;
  // force: take fields other managers own, as `kubectl apply --server-side --force-conflicts`.
  const applied = await target.apply(obj, { fieldManager: 'kgo-example', force: true });

  // What kubectl prints: the kind in lower case, its group, the name.
  console.log(`${gvk.kind.toLowerCase()}${gvk.group ? `.${gvk.group}` : ''}/${applied.metadata?.name} serverside-applied`);

  if (gvk.kind === 'CustomResourceDefinition' && gvk.group === 'apiextensions.k8s.io') {
    // Its objects can be applied once the CRD is Established; then read discovery again.
    await waitForEstablished(() => target.get(applied.metadata?.name ?? ''));
    crdApplied = true;
  }
}

/** The kind's resource and scope; after a CRD was applied, its kind may take a moment to show in discovery. */
async function mappingFor(gvk: GroupVersionKind, timeoutMs = 10_000): Promise<RESTMapping> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await mapper.restMapping({ group: gvk.group, kind: gvk.kind }, gvk.version);
    } catch (error) {
      if (!crdApplied || !isNoMatchError(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
      mapper.reset(); // read discovery again
    }
  }
}

async function waitForEstablished(read: () => Promise<Unstructured>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Right after the apply, the server may still report `conditions: null` (its controllers have not written them yet).
    const status = (await read()).status as { conditions?: { type?: string; status?: string }[] | null } | undefined;
    const conditions = status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the CRD was not Established within ${timeoutMs / 1000} s`);
}

/*
 * Objects of many built-in kinds, each exercising a JSON form the protobuf path must reproduce:
 * int-or-string (names and numbers), Quantity, Time and MicroTime, RawExtension, []byte, maps,
 * inlined structs (VolumeSource, ProbeHandler), pointers to zero values, empty structs, CEL.
 * The protobuf round-trip tests create them over JSON and compare the two reads.
 */

/** One object to create: the collection path (with `{ns}` for the test namespace) and its body. */
export interface Fixture {
  path: string;
  body: Record<string, unknown>;
}

const labels = { app: 'proto', tier: 'back' };
const podSpec = {
  containers: [
    {
      name: 'app',
      image: 'registry.example/app:1',
      command: ['/bin/app', '--flag'],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'PLAIN', value: 'v' },
        { name: 'EMPTY', value: '' },
        { name: 'FROM_FIELD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'FROM_RESOURCE', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '1Gi' } },
      readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 0 },
      securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/config', readOnly: true }],
    },
  ],
  volumes: [
    { name: 'config', configMap: { name: 'cm', items: [{ key: 'a', path: 'a.txt', mode: 0o644 }], optional: false } },
    { name: 'scratch', emptyDir: { sizeLimit: '500Mi', medium: '' } },
    { name: 'projected', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
  ],
  terminationGracePeriodSeconds: 0,
  serviceAccountName: 'robot',
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'proto', effect: 'NoExecute', tolerationSeconds: 60 }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
  nodeSelector: { disk: 'ssd' },
};
const template = { metadata: { labels }, spec: podSpec };

/** Objects to create, in an order whose references resolve. */
export function fixtures(binary: Uint8Array, csrPem: string, certPem: string): Fixture[] {
  const b64 = Buffer.from(binary).toString('base64');
  return [
    { path: '/api/v1/namespaces/{ns}/configmaps', body: { metadata: { name: 'cm', labels, annotations: { note: 'ünïcödé ✓' } }, data: { a: '1', empty: '' }, binaryData: { bin: b64 } } },
    { path: '/api/v1/namespaces/{ns}/configmaps', body: { metadata: { name: 'cm-empty' } } },
    { path: '/api/v1/namespaces/{ns}/secrets', body: { metadata: { name: 'secret' }, type: 'Opaque', data: { bin: b64, zero: '' }, immutable: false } },
    { path: '/api/v1/namespaces/{ns}/services', body: { metadata: { name: 'svc' }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'num', port: 81, targetPort: 8081, protocol: 'UDP' }], sessionAffinity: 'ClientIP' } } },
    { path: '/api/v1/namespaces/{ns}/services', body: { metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: labels, ports: [{ port: 9000 }] } } },
    { path: '/api/v1/namespaces/{ns}/serviceaccounts', body: { metadata: { name: 'robot' }, automountServiceAccountToken: false } },
    { path: '/api/v1/namespaces/{ns}/pods', body: { metadata: { name: 'pod', labels }, spec: podSpec } },
    { path: '/api/v1/namespaces/{ns}/podtemplates', body: { metadata: { name: 'tpl' }, template } },
    { path: '/api/v1/namespaces/{ns}/replicationcontrollers', body: { metadata: { name: 'rc' }, spec: { replicas: 0, selector: labels, template } } },
    { path: '/api/v1/namespaces/{ns}/resourcequotas', body: { metadata: { name: 'quota' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi' } } } },
    { path: '/api/v1/namespaces/{ns}/limitranges', body: { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' }, max: { memory: '1Gi' } }] } } },
    { path: '/api/v1/namespaces/{ns}/endpoints', body: { metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80, name: 'http' }] }] } },
    { path: '/api/v1/namespaces/{ns}/events', body: { metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'pod', namespace: '{ns}' }, reason: 'Test', message: 'hello', type: 'Normal', count: 3, firstTimestamp: '2026-01-02T03:04:05Z', lastTimestamp: '2026-01-02T03:04:06Z', source: { component: 'kgo' } } },
    { path: '/api/v1/namespaces/{ns}/persistentvolumeclaims', body: { metadata: { name: 'pvc' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' } } },
    { path: '/api/v1/persistentvolumes', body: { metadata: { name: '{ns}-pv' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data', type: 'DirectoryOrCreate' }, persistentVolumeReclaimPolicy: 'Retain' } } },
    { path: '/api/v1/nodes', body: { metadata: { name: '{ns}-node', labels: { zone: 'a' } }, spec: { taints: [{ key: 'dedicated', value: 'proto', effect: 'NoSchedule' }], podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } } },
    { path: '/apis/apps/v1/namespaces/{ns}/deployments', body: { metadata: { name: 'deploy', labels }, spec: { replicas: 2, selector: { matchLabels: labels }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }, revisionHistoryLimit: 0, paused: true } } },
    { path: '/apis/apps/v1/namespaces/{ns}/statefulsets', body: { metadata: { name: 'sts' }, spec: { serviceName: 'headless', replicas: 1, selector: { matchLabels: labels }, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }], updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } } } } },
    { path: '/apis/apps/v1/namespaces/{ns}/daemonsets', body: { metadata: { name: 'ds' }, spec: { selector: { matchLabels: labels }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } } },
    { path: '/apis/apps/v1/namespaces/{ns}/replicasets', body: { metadata: { name: 'rs' }, spec: { replicas: 0, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['proto'] }], matchLabels: labels }, template } } },
    { path: '/apis/apps/v1/namespaces/{ns}/controllerrevisions', body: { metadata: { name: 'rev' }, revision: 3, data: { spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } }, nested: [1, 'two', null, true] } } },
    { path: '/apis/batch/v1/namespaces/{ns}/jobs', body: { metadata: { name: 'job' }, spec: { backoffLimit: 0, completions: 1, parallelism: 1, suspend: true, template: { spec: { ...podSpec, restartPolicy: 'Never' } } } } },
    { path: '/apis/batch/v1/namespaces/{ns}/cronjobs', body: { metadata: { name: 'cron' }, spec: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } } } },
    { path: '/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers', body: { metadata: { name: 'hpa' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'deploy' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1500m' } } }], behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } } } } },
    { path: '/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets', body: { metadata: { name: 'pdb' }, spec: { minAvailable: '50%', selector: { matchLabels: labels } } } },
    { path: '/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies', body: { metadata: { name: 'np' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'http' }, { port: 443, endPort: 450, protocol: 'TCP' }] }], egress: [{}] } } },
    { path: '/apis/networking.k8s.io/v1/ingressclasses', body: { metadata: { name: '{ns}-ic' }, spec: { controller: 'kgo.example/ingress' } } },
    { path: '/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses', body: { metadata: { name: 'ing' }, spec: { ingressClassName: '{ns}-ic', rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { name: 'http' } } } }, { path: '/n', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }], tls: [{ hosts: ['a.example'], secretName: 'secret' }] } } },
    { path: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles', body: { metadata: { name: 'role' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] } },
    { path: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings', body: { metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'role' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: '{ns}' }] } },
    { path: '/apis/coordination.k8s.io/v1/namespaces/{ns}/leases', body: { metadata: { name: 'lease' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-01-02T03:04:05.123456Z', renewTime: '2026-01-02T03:04:06.000001Z', leaseTransitions: 0 } } },
    { path: '/apis/events.k8s.io/v1/namespaces/{ns}/events', body: { metadata: { name: 'ev2' }, eventTime: '2026-01-02T03:04:05.654321Z', reportingController: 'kgo.example/test', reportingInstance: 'i-1', action: 'Test', reason: 'Testing', type: 'Warning', regarding: { kind: 'Pod', name: 'pod', namespace: '{ns}' }, note: 'n', series: { count: 2, lastObservedTime: '2026-01-02T03:04:07.000000Z' } } },
    { path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { metadata: { name: '{ns}-prio' }, value: 1000, globalDefault: false, description: 'd', preemptionPolicy: 'Never' } },
    { path: '/apis/storage.k8s.io/v1/storageclasses', body: { metadata: { name: '{ns}-sc' }, provisioner: 'kgo.example/csi', parameters: { type: 'fast' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, mountOptions: ['ro'] } },
    { path: '/apis/storage.k8s.io/v1/csidrivers', body: { metadata: { name: '{ns}.csi.kgo.example' }, spec: { attachRequired: false, podInfoOnMount: true, volumeLifecycleModes: ['Persistent'], tokenRequests: [{ audience: 'a', expirationSeconds: 3600 }] } } },
    { path: '/apis/storage.k8s.io/v1/namespaces/{ns}/csistoragecapacities', body: { metadata: { name: 'cap' }, storageClassName: '{ns}-sc', capacity: '10Gi', maximumVolumeSize: '1Gi', nodeTopology: { matchLabels: { zone: 'a' } } } },
    { path: '/apis/storage.k8s.io/v1/volumeattachments', body: { metadata: { name: '{ns}-va' }, spec: { attacher: 'csi.kgo.example', nodeName: '{ns}-node', source: { persistentVolumeName: '{ns}-pv' } } } },
    { path: '/apis/node.k8s.io/v1/runtimeclasses', body: { metadata: { name: '{ns}-rc' }, handler: 'runc', overhead: { podFixed: { cpu: '10m', memory: '5Mi' } }, scheduling: { nodeSelector: { zone: 'a' }, tolerations: [{ operator: 'Exists' }] } } },
    { path: '/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices', body: { metadata: { name: 'slice', labels: { 'kubernetes.io/service-name': 'svc' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: true, serving: true, terminating: false }, zone: 'a' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] } },
    { path: '/apis/certificates.k8s.io/v1/certificatesigningrequests', body: { metadata: { name: '{ns}-csr' }, spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kgo.example/signer', usages: ['client auth', 'digital signature'], expirationSeconds: 3600 } } },
    { path: '/apis/certificates.k8s.io/v1/clustertrustbundles', body: { metadata: { name: '{ns}-bundle' }, spec: { trustBundle: certPem } } },
    { path: '/apis/storagemigration.k8s.io/v1/storageversionmigrations', body: { metadata: { name: '{ns}-svm' }, spec: { resource: { group: 'apps', resource: 'deployments' } } } },
    { path: '/apis/resource.k8s.io/v1/devicetaintrules', body: { metadata: { name: '{ns}-taint' }, spec: { deviceSelector: { driver: 'gpu.kgo.example', pool: 'pool' }, taint: { key: 'maintenance', value: 'planned', effect: 'NoSchedule' } } } },
    { path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', body: { metadata: { name: '{ns}-vap' }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] }, validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many' }], variables: [{ name: 'r', expression: 'object.spec.replicas' }] } } },
    { path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', body: { metadata: { name: '{ns}-vwc' }, webhooks: [{ name: 'v.kgo.example', clientConfig: { url: 'https://hooks.kgo.example/validate', caBundle: b64 }, rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'], scope: 'Namespaced' }], admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', timeoutSeconds: 5, namespaceSelector: { matchLabels: { 'kgo-protobuf-never': 'x' } } }] } },
    { path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', body: { metadata: { name: '{ns}-mwc' }, webhooks: [{ name: 'm.kgo.example', clientConfig: { url: 'https://hooks.kgo.example/mutate' }, rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'deployments/scale'] }], admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', matchPolicy: 'Equivalent', reinvocationPolicy: 'IfNeeded', namespaceSelector: { matchLabels: { 'kgo-protobuf-never': 'x' } }, matchConditions: [{ name: 'not-system', expression: '!request.userInfo.username.startsWith("system:")' }] }] } },
    { path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', body: { metadata: { name: '{ns}-vapb' }, spec: { policyName: '{ns}-vap', validationActions: ['Warn', 'Audit'], matchResources: { namespaceSelector: { matchLabels: { 'kgo-protobuf-never': 'x' } } } } } },
    { path: '/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicies', body: { metadata: { name: '{ns}-map' }, spec: { failurePolicy: 'Ignore', reinvocationPolicy: 'Never', matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }, mutations: [{ patchType: 'JSONPatch', jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels/mutated", value: "yes"}]' } }] } } },
    { path: '/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings', body: { metadata: { name: '{ns}-mapb' }, spec: { policyName: '{ns}-map', matchResources: { namespaceSelector: { matchLabels: { 'kgo-protobuf-never': 'x' } } } } } },
    { path: '/apis/storage.k8s.io/v1/volumeattributesclasses', body: { metadata: { name: '{ns}-vac' }, driverName: 'csi.kgo.example', parameters: { iops: '100' } } },
    { path: '/apis/storage.k8s.io/v1/csinodes', body: { metadata: { name: '{ns}-node' }, spec: { drivers: [{ name: 'csi.kgo.example', nodeID: 'n1', topologyKeys: ['zone'], allocatable: { count: 10 } }] } } },
    { path: '/apis/resource.k8s.io/v1/deviceclasses', body: { metadata: { name: '{ns}-dc' }, spec: { selectors: [{ cel: { expression: 'device.driver == "gpu.kgo.example"' } }] } } },
    { path: '/apis/resource.k8s.io/v1/namespaces/{ns}/resourceclaimtemplates', body: { metadata: { name: 'claim-template' }, spec: { metadata: { labels: { from: 'template' } }, spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: '{ns}-dc' } }] } } } } },
    { path: '/apis/resource.k8s.io/v1/resourceslices', body: { metadata: { name: '{ns}-slice' }, spec: { driver: 'gpu.kgo.example', pool: { name: 'pool', generation: 1, resourceSliceCount: 1 }, nodeName: '{ns}-node', devices: [{ name: 'gpu-0', attributes: { model: { string: 'x1' }, cores: { int: 16 }, fast: { bool: true } }, capacity: { memory: { value: '16Gi' } } }] } } },
    { path: '/apis/resource.k8s.io/v1/namespaces/{ns}/resourceclaims', body: { metadata: { name: 'claim' }, spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: '{ns}-dc', allocationMode: 'ExactCount', count: 2 } }] } } } },
  ];
}

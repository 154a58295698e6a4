export {
  binaryCacheDir,
  buildBinaries,
  type BuildBinariesOptions,
  type ControlPlaneBinaries,
  kwokCacheDir,
  type NodeBinaries,
  type ResolveBinariesOptions,
  resolveBinaries,
} from './binaries.ts';
export {
  type CertificateFiles,
  type ClientCertificateOptions,
  createCertificateAuthority,
  createServiceAccountKey,
  type IssueCertificateOptions,
  issueCertificate,
  issueClientCertificate,
} from './certificates.ts';
export { type AdminUser, type ControlPlane, type StartControlPlaneOptions, startControlPlane, type TokenUser } from './control-plane.ts';
export { EnvtestError } from './errors.ts';
export type { ClusterNodes } from './nodes.ts';
export { criLogLine, type PodRef, type PodSimulation, simulatePod } from './simulated-pod.ts';
export { FAULT_KINDS, type FaultKind, type FaultRates, pickFault, seededRandom, spreadRates } from './fault-plan.ts';
export { type FaultProxyOptions, type FaultProxyRestConfig, type FaultRecord, FaultProxy, type Injection } from './fault-proxy.ts';
export type { ProxiedKind } from './request-kind.ts';
export { MARKER_SECRETS, secretsIn } from './secret-scan.ts';
export { clearStaleSilences, type SilencedPort, silencePort } from './silent-port.ts';
export { restConfigFor, type TestRestConfig } from './rest-config.ts';
export { type KubeconfigCluster, type KubeconfigUser, writeKubeconfig } from './kubeconfig-file.ts';
export { describeControlPlane, describeKubeconfig, readTestCluster, type TestCluster, writeTestCluster } from './test-cluster.ts';
export { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

/**
 * The Kubernetes release envtest builds and starts when no `KUBEBUILDER_ASSETS` are given.
 * Kept in step with `go/kubernetes/go.mod` (a test checks that they agree).
 */
export const KUBERNETES_VERSION = '1.37.2';

/** The etcd release Kubernetes {@link KUBERNETES_VERSION} pins (`build/dependencies.yaml`). */
export const ETCD_VERSION = '3.7.0';

/**
 * The kwok release that simulates nodes for clusters started with `nodes` (kept in step with
 * `go/kwok/go.mod`, checked by a test).
 */
export const KWOK_VERSION = '0.8.0';

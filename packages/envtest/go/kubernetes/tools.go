//go:build tools

// Package tools pins k8s.io/kubernetes so that `go build k8s.io/kubernetes/cmd/<command>`
// builds Kubernetes' own commands (kube-apiserver, and for clusters with nodes
// kube-controller-manager and kube-scheduler) from the Go module proxy at the version in
// go.mod. One module for all three, so they share the Go build cache.
// The replace block maps each staging module (v0.0.0 in k8s.io/kubernetes' go.mod)
// to its published v0.Y.Z twin.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)

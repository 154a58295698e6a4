//go:build tools

// Package tools pins k8s.io/kubernetes so that `go build k8s.io/kubernetes/cmd/kube-apiserver`
// builds Kubernetes' own command from the Go module proxy at the version in go.mod.
// The replace block maps each staging module (v0.0.0 in k8s.io/kubernetes' go.mod)
// to its published v0.Y.Z twin.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"

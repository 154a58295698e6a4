//go:build tools

// Package tools pins kwok so that `go build sigs.k8s.io/kwok/cmd/kwok` builds kwok's own
// command (simulated nodes for clusters with nodes) from the Go module proxy at the version in
// go.mod. kwok is its own module: it pins its own k8s.io/* versions.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"

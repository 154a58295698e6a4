package main

import (
	"strings"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// restConfig is the job's server with its CA and client certificate, client-side rate limiting
// off (QPS < 0: no limiter, as kgo's qps: -1) and otherwise client-go's defaults (JSON, gzip
// asked for, HTTP/2). A plain-HTTP server (the request-counting proxy) gets no TLS settings.
func restConfig(j job) *rest.Config {
	config := &rest.Config{Host: j.Server, QPS: -1, Burst: -1}
	if !strings.HasPrefix(j.Server, "http:") {
		config.TLSClientConfig = rest.TLSClientConfig{CAFile: j.CAFile, CertFile: j.CertFile, KeyFile: j.KeyFile}
	}
	// The protobuf scenarios pin the wire format. With ContentType left empty, client-go v0.37's
	// typed clients of built-in kinds (gentype.PrefersProtobuf) already ask for protobuf, so JSON
	// must be set explicitly; protobuf is set to the same Accept the default would send.
	switch j.Wire {
	case "json":
		config.ContentType = "application/json"
	case "protobuf":
		config.ContentType = "application/vnd.kubernetes.protobuf"
		config.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	}
	return config
}

func clientset(j job) (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(restConfig(j))
}

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
	return config
}

func clientset(j job) (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(restConfig(j))
}
